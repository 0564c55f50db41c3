"""Effects on people: toxic load and probits, threshold zones, fractional effective dose."""
