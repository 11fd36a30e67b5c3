//! The whole structure as one tree, parents before their children.

use crate::*;

/// Orders per-level rows (top level first) as a depth-first tree.
pub fn build_tree(per_level: &[Vec<DefinitionRow>]) -> Vec<TreeRow> {
    pub(crate) fn walk(
        per_level: &[Vec<DefinitionRow>],
        depth: usize,
        parent: Option<&str>,
        out: &mut Vec<TreeRow>,
        placed: &mut BTreeSet<String>,
    ) {
        let Some(rows) = per_level.get(depth) else {
            return;
        };
        for r in rows
            .iter()
            .filter(|r| parent.is_none() || r.parent_id.as_deref() == parent)
        {
            if !placed.insert(r.id.clone()) {
                continue;
            }
            out.push(TreeRow {
                depth: depth as u32,
                row: r.clone(),
            });
            walk(per_level, depth + 1, Some(&r.id), out, placed);
        }
    }
    let mut out = Vec::new();
    let mut placed = BTreeSet::new();
    walk(per_level, 0, None, &mut out, &mut placed);
    for (depth, rows) in per_level.iter().enumerate() {
        for r in rows {
            if !placed.contains(&r.id) {
                placed.insert(r.id.clone());
                out.push(TreeRow {
                    depth: depth as u32,
                    row: r.clone(),
                });
            }
        }
    }
    out
}
