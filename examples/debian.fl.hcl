# A control plane built from Debian's own OpenStack packages (Debian 12;
# Ubuntu where its units have the same names). The debian cloud driver
# brings their service table: keystone, cinder-api, nova-api, ... under
# Debian's unit names, mysql (the mariadb unit), rabbitmq (rabbitmq-server),
# haproxy, keepalived, memcached, prometheus, with greps for the processes
# as Debian runs them (Keystone and the other APIs under uWSGI). Which
# controller runs what is discovered at run time; `faultline discover`
# writes it into the file.

cloud "debian" {
  driver = "debian"

  auth {
    username         = "root"
    private_key_file = "cloud_key"
    known_hosts      = "./known_hosts"
  }

  node "ctl-1" {
    address = "198.18.203.11"
    labels  = { role = "controller" }
  }
  node "ctl-2" {
    address = "198.18.203.12"
    labels  = { role = "controller" }
  }
  node "ctl-3" {
    address = "198.18.203.13"
    labels  = { role = "controller" }
  }
}

# Keystone through the HAProxy VIP.
probe "keystone" {
  http {
    url     = "http://198.18.203.10:5000/v3"
    timeout = "2s"
  }
  ok = status == 200
}

scenario "kill-keystone-on-one-controller" {
  cloud = cloud.debian
  seed  = 3

  steady_state {
    probes = [probe.keystone]
  }

  step "kill" {
    kill  = service.keystone
    nodes = one(with_label("role", "controller"))
  }

  wait "still-served" {
    until   = probe.keystone.ok
    timeout = "30s"
  }
}
