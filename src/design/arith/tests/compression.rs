//! A raw volume and its compressed restatement are two measures of one flow.

use super::found;

#[test]
fn a_figure_led_on_from_a_compression_clause_is_the_compressed_one() {
    // "compressed with zstd, so maybe 1 GB/s on the wire": the 1 GB/s is
    // the 5 GB/s after compression, not a second, smaller flow.
    let ms = found(&[
        "services -> Fluent Bit -> Kafka -> Flink -> Elasticsearch\nKafka is about 5 GB/s of JSON lines.",
        "Fluent Bit to Kafka: JSON, 5 GB/s, batched and compressed with zstd, so maybe 1 GB/s on the wire.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
    // Decompressed downstream: Flink works on the raw 5 GB/s while Kafka
    // holds the 1 GB/s of compressed batches.
    let ms = found(&[
        "services -> Fluent Bit -> Kafka -> Flink -> Elasticsearch",
        "Fluent Bit to Kafka is 1 GB/s compressed. Kafka stores the compressed batches, so broker disk is sized from the 1 GB/s; Flink decompresses and processes the 5 GB/s.",
    ]);
    assert!(ms.is_empty(), "{ms:#?}");
    // Without a word of compression, 5× apart on one hop is still asked.
    let ms = found(&[
        "services -> Fluent Bit -> Kafka -> Flink -> Elasticsearch\nKafka is about 5 GB/s of JSON lines.",
        "Fluent Bit to Kafka is about 1 GB/s of JSON lines.",
    ]);
    assert!(!ms.is_empty());
}

#[test]
fn a_compressed_bandwidth_under_raw_rows_implies_no_record_size() {
    // 1 KB change rows at 20K/s is 20 MB/s raw; 4 MB/s of Parquet is the
    // same rows compressed.
    let ms = found(&[
        "Postgres -> Debezium -> Kafka : Avro, 20K rows/s, 1 KB each\nKafka -> Spark -> Iceberg on S3",
        "Spark to Iceberg on S3 is about 20K rows a second, 3 to 4 MB/s of Parquet.",
    ]);
    assert!(
        ms.iter().all(|m| m.check != super::Check::RecordSize),
        "{ms:#?}"
    );
    // Said plainly, 4 MB/s for 20K rows of 1 KB is still a slip.
    let ms = found(&[
        "Postgres -> Debezium -> Kafka : Avro, 20K rows/s, 1 KB each\nKafka -> Spark -> Iceberg on S3",
        "Spark to Iceberg on S3 is about 20K rows a second, about 4 MB/s.",
    ]);
    assert!(
        ms.iter().any(|m| m.check == super::Check::RecordSize),
        "{ms:#?}"
    );
}
