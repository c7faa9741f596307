//! "Did you mean": the known name closest to a misspelt one, used by every
//! input that names a fact, ruleset or value.

/// The known name closest to `name`, if it is close enough to be a likely
/// misspelling.
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let length = name.chars().count();
    let limit = (length / 3).max(1);
    known
        .into_iter()
        // The distance is at least the difference in length: skip names
        // that cannot be close without computing it (a hostile 60,000-
        // character name costs nothing).
        .filter(|k| k.chars().count().abs_diff(length) <= limit)
        .map(|k| (distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k.to_string())
}

// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i.saturating_add(1);
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let above = row.get(j.saturating_add(1)).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let best = prev
                .saturating_add(cost)
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            prev = above;
            if let Some(cell) = row.get_mut(j.saturating_add(1)) {
                *cell = best;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_find_close_names_only() {
        let known = ["selected_among_outputs", "parameters_adjusted"];
        assert_eq!(
            suggest("selected_amongst_outputs", known).as_deref(),
            Some("selected_among_outputs")
        );
        assert_eq!(suggest("weather", known), None);
    }
}
