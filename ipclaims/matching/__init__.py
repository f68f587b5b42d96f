"""Perceptual matching: decoding, hashing, the in-memory index, local-feature and dense verification."""
