# Converted from the os-faults config every-section.yaml by `faultline convert`.
# Secrets are not copied: pass the sensitive variables below with -var or FAULTLINE_VAR_<name>.

variable "become_password" {
  type        = string
  sensitive   = true
  description = "The become (sudo) password of every node (from the os-faults config). Pass it with -var become_password=... or FAULTLINE_VAR_become_password; it is never written to a file."
}

cloud "every-section" {
  driver = "universal"

  auth {
    username         = "ubuntu"
    private_key_file = "/home/me/.ssh/id_rsa"
    become           = true
    become_password  = var.become_password
    known_hosts      = "~/.ssh/known_hosts"
    host_keys        = "strict"
  }

  jump "bastion" {
    address  = "10.0.0.1"
    username = "bastion"
  }

  node "ctl1" {
    address = "10.0.0.11"
    fqdn    = "ctl1.local"
    mac     = "52:54:00:aa:bb:01"
    power   = power.libvirt
  }

  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    grep         = "memcached"
    port         = 11211
  }

  service "app" {
    driver      = "process"
    hosts       = ["ctl1"]
    grep        = "my_app"
    restart_cmd = "sudo systemctl restart app"
  }

  container "neutron_api" {
    driver         = "docker_container"
    container_name = "neutron_api"
  }

  power "libvirt" {
    driver = "libvirt"
    uri    = "qemu+ssh://root@hv/system"
    units = {
      ctl1 = "ctl1"
    }
  }
}
