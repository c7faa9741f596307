//! Dependency order of rules: Kahn's algorithm, iterative (no recursion, so
//! a long chain of rules cannot overflow the stack), reporting a cycle.

/// Orders nodes so each comes after everything in `deps[node]`. On a cycle,
/// returns the nodes of one cycle, in dependency order, first node repeated
/// at the end.
pub fn topological(deps: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let n = deps.len();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents = vec![Vec::new(); n];
    for (node, ds) in deps.iter().enumerate() {
        for &d in ds {
            if let Some(list) = dependents.get_mut(d) {
                list.push(node);
            }
        }
    }
    let mut ready: Vec<usize> = (0..n)
        .rev()
        .filter(|&i| waiting.get(i) == Some(&0))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(node) = ready.pop() {
        order.push(node);
        for &next in dependents.get(node).into_iter().flatten() {
            if let Some(w) = waiting.get_mut(next) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.push(next);
                }
            }
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        Err(find_cycle(deps, &waiting))
    }
}

// Every node still waiting is on or behind a cycle; walking dependencies from
// one of them must revisit a node, and the walk from that node is a cycle.
fn find_cycle(deps: &[Vec<usize>], waiting: &[usize]) -> Vec<usize> {
    let stuck = |i: &usize| waiting.get(*i).is_some_and(|w| *w > 0);
    let Some(mut node) = (0..deps.len()).find(|i| stuck(i)) else {
        return Vec::new();
    };
    let mut path: Vec<usize> = Vec::new();
    while !path.contains(&node) {
        path.push(node);
        match deps
            .get(node)
            .and_then(|ds| ds.iter().copied().find(|d| stuck(d)))
        {
            Some(next) => node = next,
            None => return path,
        }
    }
    let start = path.iter().position(|&p| p == node).unwrap_or(0);
    let mut cycle: Vec<usize> = path.split_off(start);
    cycle.reverse();
    if let Some(&first) = cycle.first() {
        cycle.push(first);
    }
    cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_dependencies_first_and_reports_cycles() {
        assert_eq!(topological(&[vec![1], vec![], vec![0]]), Ok(vec![1, 0, 2]));
        let cycle = topological(&[vec![1], vec![2], vec![0], vec![]]).unwrap_err();
        assert_eq!(cycle.len(), 4);
        assert_eq!(cycle.first(), cycle.last());
    }
}
