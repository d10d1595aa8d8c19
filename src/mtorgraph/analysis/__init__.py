"""Analyses over a MechanismGraph: signed paths, conflicts, belief scoring, the claim audit."""
