"""Transform: SQL models in layers (staging -> scored -> marts) over the landed rows."""
