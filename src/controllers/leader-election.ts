// The seam for running controllers on one replica only. With several replicas (etcd storage) an elector
// backed by a Lease would start the controllers on the replica that holds the lease and stop them when it
// loses it (client-go tools/leaderelection: OnStartedLeading / OnStoppedLeading). A single replica always
// leads.

export interface LeadershipCallbacks {
  /** This replica now leads: start the work. */
  onStartedLeading(): void | Promise<void>;
  /** Leadership is lost (or the elector stops): stop the work. */
  onStoppedLeading(): void | Promise<void>;
}

export interface LeaderElector {
  /** Starts taking part in the election; the callbacks follow the leadership. */
  run(callbacks: LeadershipCallbacks): Promise<void>;
  /** Leaves the election (a leader's onStoppedLeading runs before this resolves). */
  stop(): Promise<void>;
}

/** One replica, one data directory: it leads from the start until it stops. */
export function singleReplicaLeaderElector(): LeaderElector {
  let current: LeadershipCallbacks | undefined;
  return {
    async run(callbacks) {
      if (current) throw new Error('the leader elector is already running');
      current = callbacks;
      await callbacks.onStartedLeading();
    },
    async stop() {
      const leading = current;
      current = undefined;
      await leading?.onStoppedLeading();
    },
  };
}
