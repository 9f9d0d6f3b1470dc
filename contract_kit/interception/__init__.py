"""How the fake and the recordings take over a test's HTTP clients without reaching the network."""
