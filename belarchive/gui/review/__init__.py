"""The review queue: a reviewer's view of the events waiting for a decision."""
