/** Droids as data: YAML profiles, prompt templates, completion rules, artifacts, model routes. */
@NullMarked
package dev.drydock.server.droid;

import org.jspecify.annotations.NullMarked;
