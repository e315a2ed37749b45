/** The configuration file: read and validated up front, every problem one line. */
@NullMarked
package dev.lockstep.daemon.config;

import org.jspecify.annotations.NullMarked;
