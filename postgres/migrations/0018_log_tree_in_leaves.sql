-- 0018_log_tree_in_leaves: each leaf of the transparency log keeps the
-- hashes of the perfect subtrees its append completed (tree: 32 bytes a
-- level, from level 1), so that an append writes one row an entry, not
-- one for each hash; a leaf's own hash is computed from its data. Leaves
-- appended before this migration have no tree: their hashes stay in
-- log_hashes, which is read for them and no longer written.
ALTER TABLE log_leaves ADD COLUMN tree BYTEA;
