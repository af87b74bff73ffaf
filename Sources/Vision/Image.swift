// Vision: image decoding and face detection.
