use super::super::terms::terms;
use super::super::TOLERANCE;
use super::*;

fn off(s: &str) -> Vec<f64> {
    sums(s, &terms(s))
        .iter()
        .map(|x| (x.off * 10.0).round() / 10.0)
        .collect()
}

fn fine(s: &str) -> bool {
    off(s).iter().all(|o| *o < TOLERANCE)
}

#[test]
fn a_total_over_a_longer_period_is_the_figure_times_its_periods() {
    assert!(fine(
        "About 40 GB of attribution facts per day-run, so around 15 TB for the year in Iceberg."
    ));
    assert!(fine("That's 2 GB a day, so about 60 GB a month."));
    // A wrong total over the period is still wrong.
    assert!(!fine("That's 2 GB a day, so about 60 TB a month."));
    // Without a period on either side, nothing is assumed.
    assert!(!fine("That's 2 GB, so about 60 GB."));
}

#[test]
fn a_figure_said_first_can_be_the_divisor() {
    assert!(fine(
        "Kinesis prices per shard at 1 MB/s, so 5 GB/s is 5,000 shards, about $90K a month."
    ));
    // Still wrong either way round.
    assert!(!fine(
        "Kinesis takes 1 MB/s per shard, so 5 GB/s is 50 shards."
    ));
}

#[test]
fn a_total_at_a_per_item_rate_is_divided_by_it() {
    // 300 MB/s at 10 MB/s per partition is 30 partitions, not 1/30.
    assert!(fine("1M/s times 300 bytes is 300 MB/s, at 10 MB/s per partition that's 30, I'd take 64 for headroom."));
    assert!(fine("200K events/s at 5K per consumer is 40 consumers."));
    // Still wrong when neither reading gives the answer.
    assert!(!fine("300 MB/s at 10 MB/s per partition is 3 partitions."));
}

#[test]
fn a_compression_ratio_divides_the_figure_it_shrinks() {
    assert!(fine("All of it, 5 GB/s raw, and Parquet with zstd gets logs down about 10x, so ~500 MB/s landing."));
    assert!(fine(
        "2 TB/day of JSON compresses about 8x in Parquet, so roughly 250 GB/day on S3."
    ));
    // "1 byte per sample compressed, so 13 months of 20M samples/s": a
    // figure's own word, not a ratio that shrinks it.
    assert!(!fine("VictoriaMetrics stores about 1 byte per sample compressed, so 13 months of 20M samples/s is about 7 TB."));
    // Still wrong when the shrunk figure is off.
    assert!(!fine(
        "5 GB/s raw, and zstd gets logs down about 10x, so ~5 MB/s landing."
    ));
}

#[test]
fn a_factor_said_again_in_the_sum_counts_once() {
    // "3x headroom, so … times 3": one factor of 3, not 3 × 3.
    assert!(fine("The orders topic gets 64 partitions: a partition takes about 1 MB/s comfortably and we want 3x headroom, so 20 MB/s times 3 is 60, rounded up to 64."));
    assert!(fine(
        "A shard takes 1 MB/s, we want 2x headroom, so 5 GB/s times 2 is 10,000 shards."
    ));
    // Still wrong when neither reading gives the answer.
    assert!(!fine(
        "A partition takes 1 MB/s and we want 3x headroom, so 20 MB/s times 3 is 600."
    ));
    // A figure said twice does not divide itself into the answer.
    assert!(fine("A store down for two weeks replays two weeks of files at once, about 300K lines, which one hourly run handles."));
}

#[test]
fn a_result_said_as_a_bound_is_checked_only_the_way_it_bounds() {
    // 10 MB/s over 300 topics is 33 KB/s: "well under" 1 MB/s holds.
    assert!(fine(
        "10 MB/s across 300 topics is well under 1 MB/s per topic."
    ));
    assert!(fine("200 MB/s over 64 partitions is at least 1 MB/s each."));
    // The bound the wrong way round is still wrong.
    assert!(!fine(
        "200 MB/s over 64 partitions is well under 1 MB/s each."
    ));
    assert!(!fine("10 MB/s over 300 topics is more than 1 MB/s each."));
}

#[test]
fn connectors_join_figures_and_clause_breaks_do_not() {
    assert_eq!(
        off("2M events/s at 1 KB is 200 MB/s, so double the partitions to 8"),
        [10.0]
    );
    assert_eq!(off("Each version is about 1 KB, so 4K versions a second is 4 MB/s into Snowflake, about 350 GB a day."), [1.0, 1.0]);
    assert!(off("Kafka keeps 30 days, and the window is 5 minutes.").is_empty());
    assert!(off("Kafka takes 200 MB/s, Postgres is 2 MB/s.").is_empty());
    assert!(off("Peak is 200K events/s, about 20K/s on average.").is_empty());
    assert!(off("a Kafka partition can take 100 MB/s, so 50 MB/s each is fine").is_empty());
    assert!(fine("Three hours, or a day, is past the TTL."));
    assert!(fine(
        "over the cards active in a day, maybe 50M cards at 200 bytes"
    ));
    assert!(fine(
        "10K auths/s, not the 30K Redis writes, so an hour is 36M auth_ids."
    ));
    assert!(fine(
        "100M keys of 16 bytes, roughly 5 GB with RocksDB overhead."
    ));
}

#[test]
fn a_count_times_the_seconds_in_a_day_is_checked_against_the_day_total() {
    // 10,000 × 86,400 is 864M, not 86M: a dropped zero.
    let s = "10K auths/s at peak; if we ran at peak all day that's 10,000 × 86,400 ≈ 86M authorisations a day, so call it 50M on a normal day.";
    assert_eq!(off(s), [10.0]);
    assert!(fine(
        "If we ran at peak all day that's 10,000 × 86,400 ≈ 864M authorisations a day."
    ));
}

#[test]
fn a_daily_rate_times_a_number_of_days_is_that_many_days() {
    // "× 7" is seven days of the daily rate, not a sum of its own.
    assert!(fine(
        "A week of served features: 50M auths a day × 7 = 350M rows."
    ));
    assert!(fine("Three days at 50M auths a day × 3 is 150M events."));
    // A wrong total is still wrong.
    assert_eq!(
        off("A week of served features: 50M auths a day × 7 = 35M rows."),
        [10.0]
    );
    // A figure joined by a written operator is never a sum on its own.
    assert!(fine("50M auths a day × 7 = 350M rows."));
}

#[test]
fn a_per_item_figure_without_its_time_is_in_the_rate_period() {
    // 30K reads/s over 6 shards is 5K reads a second per shard.
    assert_eq!(
        off("30K reads/s over 6 shards is 50K reads per shard, which one Redis core handles fine."),
        [10.0]
    );
    assert!(fine(
        "30K reads/s over 6 shards is 5K reads per shard, which one Redis core handles fine."
    ));
}

#[test]
fn a_rate_said_again_as_a_day_total_at_peak_is_the_same_figure() {
    assert_eq!(
        off("100K/s is roughly 860M authorisations a day at peak rate."),
        [10.0]
    );
    assert!(fine(
        "100K/s is roughly 8.6B authorisations a day at peak rate."
    ));
    // A day's total said as a per-second peak is a peak above the average.
    assert!(fine("200M a day is about 15K/s at peak."));
}

#[test]
fn a_reading_absurdly_far_off_is_a_misreading_not_a_slip() {
    // Not "10 days ÷ 7 days is about 1.4, not 500M".
    assert!(fine("Velocity features are windows up to 7 days, so the fix has to replay from 7 days before the bug to rebuild state correctly — 10 days of events, about 500M."));
}

#[test]
fn a_bare_count_times_a_size_said_as_a_bandwidth_is_per_its_second() {
    // 200K × 1 KB is 200 MB, so 200 MB/s, not 20.
    assert_eq!(
        off("I already did the numbers: 200K × 1 KB = 20 MB/s."),
        [10.0]
    );
    assert!(fine("I already did the numbers: 200K × 1 KB = 200 MB/s."));
}

#[test]
fn a_figure_said_again_after_maybe_is_the_same_figure_estimated() {
    // 20 MB/s is 72 GB an hour.
    assert_eq!(
        off("Spark Streaming to S3 is about 20 MB/s of Parquet, maybe 2 GB an hour."),
        [36.0]
    );
    assert!(fine(
        "Spark Streaming to S3 is about 20 MB/s of Parquet, maybe 70 GB an hour."
    ));
    // Two alternatives of one kind are not a sum.
    assert!(fine("Three brokers, maybe four."));
}

#[test]
fn a_lone_one_is_who_the_figure_is_for_not_a_total() {
    assert!(fine("At about 10 MB/s per partition for one consumer to keep up that's 5; I'd take 64 so the Flink job can run 64 subtasks."));
    assert!(fine(
        "500K/s × 100 bytes is 50 MB/s, and at 10 MB/s per partition that's 5."
    ));
    assert!(!fine(
        "500K/s × 100 bytes is 50 MB/s, and at 10 MB/s per partition that's 50."
    ));
}

#[test]
fn a_share_or_a_count_of_other_things_is_no_sum_of_the_figures_before_it() {
    // 90% is the hit rate on the candidates, not their number.
    assert!(fine(
        "DAX absorbs the items, since 100 candidates come from a hot set, maybe 90% hit rate."
    ));
    // Brokers come from the disk per broker, which is not said here.
    assert!(fine(
        "About 4.4 TB a day in across all topics, 7 days at RF3 is ~90 TB of broker disk, call it 9 brokers at ~$2K each."
    ));
    // A share of a ratio, and brokers sized per broker, are still checked.
    assert!(!fine("300 failed out of 30,000 is 10%."));
    assert!(!fine("90 TB at 10 TB per broker is about 3 brokers."));
    // A rate over a time is a count of what it carries.
    assert!(!fine("An hour at 200K/s is only 720K ids."));
}

#[test]
fn working_said_again_after_is_starts_a_new_sum() {
    // "… is 10,000 x 2,160 = about 2 million": the slip is 21.6M, said
    // against the working, not against the devices.
    let s = "10,000 devices times 6 hours at one reading every 10 seconds is 10,000 x 2,160 = about 2 million readings.";
    let sums = sums(s, &terms(s));
    assert_eq!(sums.len(), 1, "{sums:?}");
    assert!(sums[0].off > 5.0, "{sums:?}");
    assert!((sums[0].value() - 21.6e6).abs() < 1e6, "{sums:?}");
    assert!(fine(
        "10,000 devices times 6 hours is 10,000 x 2,160 = about 21.6 million readings."
    ));
}

#[test]
fn days_after_a_written_operator_beside_a_plain_volume_are_that_many_copies() {
    assert!(fine(
        "Paying 3x for disk is a waste: 40 TB times 3 days retention times 3 is 360 TB."
    ));
    assert!(!fine("40 TB times 3 days retention times 3 is 3,000 TB."));
}

#[test]
fn a_figure_said_as_an_adjective_is_not_what_is_is_said_of() {
    assert!(fine("RTO for 15-minute freshness is about 2 hours."));
    assert!(!fine("15 minutes is about 2 hours."));
}

#[test]
fn a_figure_said_to_mean_a_figure_of_another_thing_is_no_sum() {
    assert!(off("300 nodes means 3 concurrent monthly runs of 100 nodes each.").is_empty());
    // The same thing on both sides is still checked.
    assert!(!fine("300 nodes means 3 nodes a month."));
    // A count said to be another count is a figure left out of the
    // reading, not a sum.
    assert!(off("90 days at 200 node-hours is 18,000 node-hours on 300 nodes.").is_empty());
}

#[test]
fn figures_before_a_roll_up_do_not_multiply_into_the_figures_after_it() {
    // 200M series / 300 s is 670K points/s; rolled up to 20M series, 70K/s.
    assert!(fine("Rollups are tiny: 200M series, one 5-minute point every 300 seconds is about 670K points a second before aggregation, and we roll up by service and a few labels so maybe 20M series, 70K points/s, a few GB a day of Parquet."));
    // Still checked when nothing shrinks it.
    assert!(!fine("200K events/s for an hour, so about 72M events."));
}

#[test]
fn a_figure_said_as_what_the_one_before_comes_to_replaces_it_in_later_sums() {
    // "150 floats each so ~600 bytes a row": the 600 bytes is the 150
    // floats said in bytes, not another factor of the 60 GB.
    assert!(fine(
        "100M rows per run, about 150 floats each so ~600 bytes a row, roughly 60 GB written over a 2-hour window."
    ));
    assert!(fine(
        "10K devices send 30 readings each so ~300 bytes a message, about 3 MB per round."
    ));
    // Wrong with the restated figure is still wrong.
    assert!(!fine(
        "100M rows per run, about 150 floats each so ~600 bytes a row, roughly 6 TB written over a 2-hour window."
    ));
}
