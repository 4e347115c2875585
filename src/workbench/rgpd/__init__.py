"""Personal data (RGPD): the processing catalogue, the register of processing activities."""
