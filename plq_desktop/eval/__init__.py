"""Quality-versus-utility evaluation of the quality estimators."""
