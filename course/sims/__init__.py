"""Interactive simulations: a pure model (numbers in, numbers out) and a thin widget that draws it."""
