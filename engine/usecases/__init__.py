"""One function per act (open, advance, assign, log, cover, launch, tick, demo), each in one unit of work,
and the read models the front ends print."""
