"""Text handling shared by every part: normalisation, folding and segmentation."""
