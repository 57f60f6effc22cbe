"""Live analysis: frames from a source into a one-slot mailbox, and the engine that analyses the newest one.

A new frame source is one class in ``sources`` deriving from ``FrameSource``."""
