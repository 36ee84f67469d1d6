"""The review app's screens: review, term base, concordance, findings, help and dialogs."""
