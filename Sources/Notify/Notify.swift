// The Notify module. See docs/ and ../shared/DESIGN.md for what it owns.
