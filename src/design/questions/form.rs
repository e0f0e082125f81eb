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
    condition || cleft
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
    ];
    if is_question(text) {
        return false;
    }
    let t = text.trim().to_ascii_lowercase().replace('\u{2019}', "'");
    let declines = |t: &str| {
        if t.is_empty() || t.split_whitespace().count() > 8 {
            return false;
        }
        // "No wait, one more thing", "nothing else, but also…": still asking.
        if ["wait", "one more", "also", " but ", "actually"]
            .iter()
            .any(|w| t.contains(w))
        {
            return false;
        }
        STARTS.iter().any(|s| {
            t.strip_prefix(s).is_some_and(|rest| {
                !rest.starts_with(|c: char| c.is_alphanumeric() || c == '\'' || c == '-')
            })
        })
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
