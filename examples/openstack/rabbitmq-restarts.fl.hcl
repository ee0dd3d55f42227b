# Restart rabbitmq-server on every controller, first one after another (a
# rolling restart: each broker must be back in the cluster before the next
# goes), then all at once (a full cluster restart). Cinder talks RPC over
# RabbitMQ: after each restart the RPC round trip through the API
# (probe.volume-rpc) must work again, and after the full restart the time
# until it does is recorded. The schedulers stay registered as up.

probe "schedulers-up" {
  command {
    command = ". /root/admin-openrc && openstack volume service list -f value -c Binary -c State | grep -c '^cinder-scheduler up$' | grep -qx 3"
    nodes   = with_label("role", "monitor")
    timeout = "30s"
  }
}

scenario "rabbitmq-restarts" {
  cloud          = cloud.openstack
  description    = "Rolling and full restarts of the RabbitMQ cluster: RPC through the Block Storage API recovers each time"
  seed           = 3
  max_fault_time = "10m"
  timeout        = "15m"

  steady_state {
    probes = [probe.rabbitmq-cluster, probe.volume-rpc, probe.schedulers-up]
  }

  step "restart-node-1" {
    restart = service.rabbitmq-server
    nodes   = node.node-1
  }

  wait "node-1-rejoined" {
    until    = probe.rabbitmq-cluster.ok && probe.volume-rpc.ok
    timeout  = "3m"
    interval = "3s"
    record   = "rolling_node_1"
  }

  step "restart-node-2" {
    restart = service.rabbitmq-server
    nodes   = node.node-2
  }

  wait "node-2-rejoined" {
    until    = probe.rabbitmq-cluster.ok && probe.volume-rpc.ok
    timeout  = "3m"
    interval = "3s"
    record   = "rolling_node_2"
  }

  step "restart-node-3" {
    restart = service.rabbitmq-server
    nodes   = node.node-3
  }

  wait "node-3-rejoined" {
    until    = probe.rabbitmq-cluster.ok && probe.volume-rpc.ok
    timeout  = "3m"
    interval = "3s"
    record   = "rolling_node_3"
  }

  step "restart-all" {
    restart = service.rabbitmq-server
    nodes   = all()
  }

  wait "rpc-recovered" {
    until    = probe.volume-rpc.ok
    timeout  = "5m"
    interval = "3s"
    record   = "time_to_recover"
  }

  wait "cluster-reformed" {
    until    = probe.rabbitmq-cluster.ok
    timeout  = "3m"
    interval = "3s"
  }

  assert "schedulers-registered" {
    condition = probe.schedulers-up.ok
    message   = "every cinder-scheduler must be registered as up after the restarts"
  }

  # A restart ends with the broker running: nothing to undo. The rollback
  # makes sure every broker runs, whatever step a failure stopped at.
  rollback "brokers-running" {
    undo  = step.restart-all
    start = service.rabbitmq-server
    nodes = all()
  }
}
