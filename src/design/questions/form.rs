//! Whether a turn asks anything at all: a question (a `?`, or a question
//! word where a sentence can start) against a statement that merely starts
//! with one ("When a broker dies, ..."), and a decline ("No, let's start").

/// Words said before a question without a comma ("ok what's the scale").
const INTERJECTIONS: &[&str] = &[
    "ok", "okay", "so", "right", "alright", "sure", "and", "but", "hmm", "well", "um", "uh", "then",
];

/// True when the text reads as a question (a `?`, or a line starting with a
/// question word), so a statement that mentions "dashboard" is not taken as
/// asking who the consumer is.
pub fn is_question(text: &str) -> bool {
    if text.contains('?') {
        return true;
    }
    const STARTS: &[&str] = &[
        "what", "how", "who", "when", "where", "which", "is ", "are ", "do ", "does ", "can ",
        "should ", "will ", "would ", "could ",
    ];
    // Where a question can start: a line, a sentence after "ok." or "Got
    // it!", and the words after a short interjection ("ok, how big is it",
    // "so, who reads it"); never a clause after a comma in a statement
    // ("We use Kafka, which handles it").
    let starts = |l: &str| -> Vec<usize> {
        let mut at = vec![0];
        // After an interjection only ("ok.", "Got it!"): the second
        // sentence of an answer ("What arrives late is the labels") is no
        // question for starting with "what".
        at.extend(
            l.match_indices(['.', '!', ';'])
                .map(|(i, _)| i + 1)
                .filter(|&i| {
                    l[i..].starts_with(char::is_whitespace)
                        && l[..i].split_whitespace().count() <= 2
                }),
        );
        if let Some(c) = l.find(',') {
            if l[..c].split_whitespace().count() <= 2 {
                at.push(c + 1);
            }
        }
        // An interjection said without a comma: "ok what's the scale",
        // "so how fresh does it need to be".
        let t = l.trim_start();
        let lead = l.len() - t.len();
        if let Some(w) = t.split_whitespace().next() {
            if INTERJECTIONS.iter().any(|i| w.eq_ignore_ascii_case(i)) {
                at.push(lead + w.len());
            }
        }
        at
    };
    text.lines().any(|line| {
        starts(line).into_iter().any(|i| {
            // Compared ASCII-case-insensitively in place (no lower-cased
            // copy); lower-casing ASCII keeps what is alphanumeric.
            let l = line[i..].trim();
            // "hi. so how many clicks": an interjection after the greeting.
            let l = match l.split_once(char::is_whitespace) {
                Some((w, rest))
                    if i > 0
                        && INTERJECTIONS
                            .iter()
                            .any(|x| w.trim_end_matches(',').eq_ignore_ascii_case(x)) =>
                {
                    rest.trim_start()
                }
                _ => l,
            };
            if statement_led_by_question_word(l) {
                return false;
            }
            // A whole word: "whatever the stores send" is not a question;
            // "whats the scale" (typed without the apostrophe) is.
            STARTS.iter().any(|s| {
                let rest = l.get(s.len()..).unwrap_or("");
                let typed_is = matches!(*s, "what" | "how" | "who" | "where")
                    && rest.starts_with(['s', 'S'])
                    && !rest[1..].starts_with(char::is_alphanumeric);
                l.as_bytes()
                    .get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s.as_bytes()))
                    && (s.ends_with(' ') || !rest.starts_with(char::is_alphanumeric) || typed_is)
            })
        })
    })
}

/// Words that make a statement ask all the same: "I'd like to know the
/// scale", "I'm assuming the analysts read it".
const ASK_LEADS: &[&str] = &[
    "want to know",
    "like to know",
    "need to know",
    "want to understand",
    "like to understand",
    "wondering",
    "curious",
    "tell me",
    "clarify",
    "confirm",
    "assum",
];

/// The part of a turn that asks: with a `?` in it, the question sentences
/// and the statements that ask ("I'd like to know…", "assuming…"), not
/// the story around them ("we had a monolith and the pricing was computed
/// in a cron job" asks nothing about the consumers). A line that asks
/// without a `?` ("how many events per second") is kept. Without any `?`,
/// the whole turn (see [`is_question`]).
pub fn asked_part(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('?') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    for line in text.lines() {
        let mut from = 0;
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            // A sentence ends at "?", or at "." / "!" before a space; "e.g."
            // and "1.5" do not end one.
            let ends = b == b'?'
                || (matches!(b, b'.' | b'!')
                    && bytes.get(i + 1).is_some_and(|n| *n == b' ')
                    && line[i + 1..]
                        .trim_start()
                        .starts_with(|c: char| c.is_uppercase()));
            if ends || i + 1 == bytes.len() {
                let sentence = &line[from..=i];
                let lower = sentence.to_ascii_lowercase();
                if is_question(sentence) || ASK_LEADS.iter().any(|l| lower.contains(l)) {
                    out.push_str(sentence.trim());
                    out.push('\n');
                }
                from = i + 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A statement that starts with a question word: a condition ("When a
/// broker dies, the controller elects a leader") or a pseudo-cleft ("What
/// arrives late is the labels", "What matters is freshness").
fn statement_led_by_question_word(l: &str) -> bool {
    let sentence = l
        .split(['.', '!', ';'])
        .next()
        .unwrap_or(l)
        .to_ascii_lowercase();
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    let condition = matches!(*first, "when" | "where" | "if")
        && sentence.split_once(", ").is_some_and(|(_, after)| {
            let next = after.split_whitespace().next().unwrap_or("");
            [
                "we", "i", "it", "the", "they", "a", "an", "our", "its", "that", "this", "nothing",
            ]
            .contains(&next)
        });
    let cleft = matches!(*first, "what" | "how" | "where" | "who")
        && words.get(1).is_some_and(|w| {
            w.len() > 3 && w.ends_with('s') && !["does", "was", "has", "goes"].contains(w)
        })
        // "What happens if the job is retried" asks: the "is" belongs to
        // the condition, not to the subject "what happens".
        && words
            .iter()
            .skip(2)
            .take_while(|w| !matches!(**w, "if" | "when" | "after" | "before" | "while"))
            .any(|w| matches!(*w, "is" | "are" | "was"));
    // "What I'd really want to discuss is whether…", "What we need is…".
    let own_cleft = *first == "what"
        && words.get(1).is_some_and(|w| {
            ["i", "i'd", "i'm", "we", "we'd", "we're"]
                .contains(&w.replace('\u{2019}', "'").as_str())
        })
        && words.iter().skip(2).any(|w| matches!(*w, "is" | "was"));
    // "What could still go wrong is a till that re-numbers its lines",
    // "What should happen is the job retries": a modal cleft, told not
    // asked ("What could go wrong if it is down" asks).
    let modal_cleft = *first == "what"
        && words.get(1).is_some_and(|w| {
            matches!(
                *w,
                "could" | "would" | "can" | "might" | "will" | "should" | "may" | "must"
            )
        })
        && words
            .iter()
            .skip(3)
            .take_while(|w| !matches!(**w, "if" | "when" | "after" | "before" | "while"))
            .any(|w| matches!(*w, "is" | "was"));
    condition || cleft || own_cleft || modal_cleft
}

/// A turn that asks to talk about something other than the design on the
/// table: "can I talk about how we did it at my last company?", "what I'd
/// really want to discuss is whether we need it at all", "is there
/// anything about the ML model you want me to go into?".
pub fn digression(text: &str) -> bool {
    const ASKS: &[&str] = &[
        "can i talk about",
        "could i talk about",
        "can we talk about",
        "could we talk about",
        "can i tell you about",
        "let me tell you about",
        "can we discuss",
        "could we discuss",
        "rather talk about",
        "rather discuss",
        "want to discuss",
        "like to discuss",
        "want me to go into",
        "want me to talk about",
        "want to hear about",
    ];
    let lower = text.to_ascii_lowercase().replace('\u{2019}', "'");
    ASKS.iter().any(|a| lower.contains(a))
}

/// True when a short turn says the candidate has nothing more to ask ("No.",
/// "Nothing else, let's start", "I'm good", "That's all"): an interviewer
/// moves on rather than asking again. A question is never a decline.
pub fn is_decline(text: &str) -> bool {
    const STARTS: &[&str] = &[
        "no",
        "nope",
        "nah",
        "none",
        "nothing",
        "no more",
        "no further",
        "no other",
        "not really",
        "that's all",
        "that's it",
        "that is all",
        "that is it",
        "that's enough",
        "i'm good",
        "im good",
        "i am good",
        "all good",
        "i'm ready",
        "i am ready",
        "ready",
        "let's start",
        "lets start",
        "let's begin",
        "let's move on",
        "let's go",
        "let's design",
        "let's draw",
        "go ahead",
        "i think that's all",
        "i think that's it",
        "i think that's enough",
        "i think i have enough",
        "i have enough",
        "i've got enough",
        "good to go",
        "i'll start",
        "i can start",
        "let me start",
        "let's get started",
        "i'll draw",
        "let me draw",
    ];
    if is_question(text) {
        return false;
    }
    let t = text.trim().to_ascii_lowercase().replace('\u{2019}', "'");
    // One clause: a decline phrase, then nothing but punctuation. Typed
    // without apostrophes ("thats enough, lets draw") or after an "ok".
    let clause = |t: &str| {
        let bare = t.replace('\'', "");
        let bare = match bare.split_once(' ') {
            Some((w, rest)) if ["ok", "okay", "alright", "right", "so", "well"].contains(&w) => {
                rest.trim_start().to_string()
            }
            _ => bare,
        };
        STARTS.iter().any(|s| {
            bare.strip_prefix(s.replace('\'', "").as_str())
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '-'))
        })
    };
    // Every clause a decline: "Let's move on, I think I have enough to
    // start."
    let every_clause = |t: &str| {
        t.split(',')
            .all(|c| c.split_whitespace().count() <= 8 && clause(c.trim()))
    };
    let declines = |t: &str| {
        let t = t.trim().trim_end_matches(['.', '!', ' ']);
        let words = t.split_whitespace().count();
        if t.is_empty() || words > 16 {
            return false;
        }
        // "No wait, one more thing", "nothing else, but also…": still asking.
        if ["wait", "one more", "also", " but ", "actually"]
            .iter()
            .any(|w| t.contains(w))
        {
            return false;
        }
        // "No, the dashboards need 5 minutes" answers: after a bare "no",
        // the rest must decline too ("No, let's start").
        let bare_no = ["no", "nope", "nah"].iter().find_map(|n| {
            t.strip_prefix(n)
                .filter(|r| r.starts_with(','))
                .map(|r| r.trim_start_matches([',', ' ']))
        });
        match bare_no {
            Some(rest) => rest.is_empty() || every_clause(rest),
            // "That's enough for me, I'll start": short, led by a decline.
            None => (words <= 8 && clause(t)) || every_clause(t),
        }
    };
    // "I'll assume windows of 1 minute and 1 hour. Nothing else, let's
    // draw.": an assumption stated, then the decline as the last sentence.
    let last = t
        .trim_end_matches(['.', '!', ' '])
        .rsplit(['.', '!', ';', '\n'])
        .next()
        .map(str::trim)
        .unwrap_or("");
    // Short: "Nothing is lost if Kafka keeps 7 days." is not a decline.
    declines(&t) || (last.len() < t.len() && last.split_whitespace().count() <= 5 && declines(last))
}
