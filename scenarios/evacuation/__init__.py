"""Agent-based evacuation: the Mesa crowd model on the twin's walkable levels."""
