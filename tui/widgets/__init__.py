"""The review app's widgets: segment list, source view, editor and the panels beside them."""
