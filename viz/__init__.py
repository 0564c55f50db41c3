"""Pictures: site plans, maps, plots, reports and replays; computes no physics."""
