"""Foresight ("prospective territoriale") methods of the French school (Godet / LIPSOR):
structural analysis (MICMAC), actors' strategies (MACTOR), morphological scenarios, Delphi."""
