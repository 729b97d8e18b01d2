"""Practice between sessions that needs no worksheet: the breathing space and paced breathing."""
