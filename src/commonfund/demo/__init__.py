"""``commonfund demo``: the runner and its steps; the demo depends on the features, never the reverse."""
