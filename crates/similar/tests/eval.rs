//! Duplicate detection on the labelled evaluation set (`eval/duplicates.jsonl`, built by
//! `scripts/make-eval.py`): precision and recall of the suggestions (shared band key, then
//! similarity ≥ the default threshold) on re-sent, edited, stripped and sent-elsewhere copies
//! against hard negatives, beside exact Jaccard by brute force; paraphrases reported apart, by
//! text alone and with the citizen's ID number. Run with `--nocapture` to see the table.

use danvan_similar::{DEFAULT_THRESHOLD, band_keys, jaccard, shingles};

struct Pair {
    label: String,
    a: String,
    b: String,
    same_person: bool,
}

fn pairs() -> Vec<Pair> {
    include_str!("../../../eval/duplicates.jsonl")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            let s = |k: &str| v[k].as_str().expect(k).to_owned();
            Pair {
                label: s("label"),
                a: s("a"),
                b: s("b"),
                same_person: s("id_a") == s("id_b"),
            }
        })
        .collect()
}

/// (suggested by LSH + threshold, suggested by exact Jaccard ≥ threshold, similarity).
fn judge(p: &Pair, threshold: f64) -> (bool, bool, f64) {
    let s = jaccard(&shingles(&p.a), &shingles(&p.b));
    let shared = match (band_keys(&p.a), band_keys(&p.b)) {
        (Some(x), Some(y)) => x.iter().zip(y.iter()).any(|(a, b)| a == b),
        _ => false,
    };
    (shared && s >= threshold, s >= threshold, s)
}

#[test]
fn duplicates_are_found_at_the_default_threshold() {
    let pairs = pairs();
    assert!(pairs.len() >= 300, "at least 300 labelled pairs");
    let copies = ["resent", "edited", "stripped", "elsewhere"];
    let mut table = vec![];
    let (mut tp, mut fp, mut fn_, mut tp_bf, mut fp_bf, mut fn_bf) = (0, 0, 0, 0, 0, 0);
    for label in copies.iter().chain(["paraphrase", "negative"].iter()) {
        let of: Vec<&Pair> = pairs.iter().filter(|p| p.label == *label).collect();
        let judged: Vec<(bool, bool, f64)> =
            of.iter().map(|p| judge(p, DEFAULT_THRESHOLD)).collect();
        let lsh = judged.iter().filter(|j| j.0).count();
        let brute = judged.iter().filter(|j| j.1).count();
        let mean = judged.iter().map(|j| j.2).sum::<f64>() / of.len().max(1) as f64;
        let with_id = of
            .iter()
            .zip(judged.iter())
            .filter(|(p, j)| j.0 || p.same_person)
            .count();
        table.push((*label, of.len(), lsh, brute, with_id, mean));
        if copies.contains(label) {
            tp += lsh;
            fn_ += of.len() - lsh;
            tp_bf += brute;
            fn_bf += of.len() - brute;
        } else if *label == "negative" {
            fp += lsh;
            fp_bf += brute;
        }
    }
    println!("\nthreshold {DEFAULT_THRESHOLD}");
    println!(
        "{:<11} {:>5} {:>9} {:>11} {:>12} {:>9}",
        "label", "pairs", "LSH", "brute force", "text or ID", "mean J"
    );
    for (label, n, lsh, brute, with_id, mean) in &table {
        println!("{label:<11} {n:>5} {lsh:>9} {brute:>11} {with_id:>12} {mean:>9.2}");
    }
    let ratio = |a: usize, b: usize| a as f64 / (a + b).max(1) as f64;
    let (recall, precision) = (ratio(tp, fn_), ratio(tp, fp));
    let (recall_bf, precision_bf) = (ratio(tp_bf, fn_bf), ratio(tp_bf, fp_bf));
    println!(
        "copies: recall {recall:.3} precision {precision:.3} (LSH); recall {recall_bf:.3} precision {precision_bf:.3} (brute force)"
    );
    let para = table
        .iter()
        .find(|t| t.0 == "paraphrase")
        .expect("paraphrases");
    println!(
        "paraphrases: recall {:.3} by text, {:.3} with the ID number",
        para.2 as f64 / para.1 as f64,
        para.4 as f64 / para.1 as f64
    );
    assert!(recall >= 0.95, "recall {recall}");
    assert!(precision >= 0.90, "precision {precision}");
    // LSH may only lose what brute force finds, never add.
    assert!(tp <= tp_bf && fp <= fp_bf);
}
