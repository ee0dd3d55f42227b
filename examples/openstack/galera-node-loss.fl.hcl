# Kill MariaDB (SIGKILL) on node-1, the Galera node HAProxy sends every
# query to (the other two are its backups). The other two keep a Primary
# component, HAProxy fails over to a backup and Keystone keeps issuing
# tokens through the VIP: the monitor counts failed tokens, and three in a
# row (probe.token-issue's failure_threshold) fail the run. After 20 s
# MariaDB starts again, rejoins with an incremental state transfer (IST) from the
# position galera_recovery finds, and the time that takes is recorded.

scenario "galera-node-loss" {
  cloud          = cloud.openstack
  description    = "Galera keeps quorum when the active database node dies; tokens keep coming through HAProxy"
  seed           = 1
  max_fault_time = "10m"
  timeout        = "10m"

  steady_state {
    probes = [probe.token-issue, probe.galera-synced]
  }

  # The kill holds for 20 s, then MariaDB is started again (the kill's
  # inverse) and the step ends; the survivors are checked meanwhile.
  parallel "node-away" {
    step "kill-mariadb" {
      kill     = service.mariadb
      nodes    = node.node-1
      duration = "20s"
    }

    wait "survivors-keep-quorum" {
      until    = probe.galera-survivors.ok
      timeout  = "1m"
      interval = "2s"
    }
  }

  monitor "token-availability" {
    condition = probe.token-issue.ok
    during    = [parallel.node-away, wait.resynced]
    interval  = "1s"
  }

  wait "resynced" {
    until        = probe.galera-synced.ok
    timeout      = "3m"
    interval     = "2s"
    record       = "time_to_resync"
    measure_from = step.kill-mariadb
  }

  rollback "mariadb-running" {
    undo = step.kill-mariadb
  }
}
