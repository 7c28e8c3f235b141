"""The HTML5 game template as package data: index.html, physics.json, js/ and css/.

No code lives here; core.package_data.game_template() finds these files through importlib.resources,
installed from a wheel or editable alike. tools/ and tests/ stay in the checkout (not shipped)."""
