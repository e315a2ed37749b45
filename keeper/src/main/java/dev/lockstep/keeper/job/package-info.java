/** Thin Quartz adapters: the clustered scheduler and the keeper round job. */
@NullMarked
package dev.lockstep.keeper.job;

import org.jspecify.annotations.NullMarked;
