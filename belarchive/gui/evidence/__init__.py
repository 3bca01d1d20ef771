"""The evidence viewer: archived copies (PDF, images, text, saved pages) shown inside the app."""
