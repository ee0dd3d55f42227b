package ssh

import "testing"

// TestIntegration runs the transport against real OpenSSH servers started
// here (package sshtest). It needs root and sshd: it skips without them,
// and fails under CI=true. All groups share one lab to keep setup cheap;
// run one group with -run 'TestIntegration/jump'.
func TestIntegration(t *testing.T) {
	f := newLab(t)
	// auth sets SSH_AUTH_SOCK (t.Setenv), so it runs alone, first; the
	// other groups run side by side (each one that breaks connections
	// has a server of its own).
	t.Run("auth", func(t *testing.T) { testAuthMethods(t, f) })
	t.Run("become", func(t *testing.T) { t.Parallel(); testBecomeSudo(t, f) })
	t.Run("doas", func(t *testing.T) { t.Parallel(); testBecomeDoas(t, f) })
	t.Run("su", func(t *testing.T) { t.Parallel(); testBecomeSu(t, f) })
	t.Run("hostkeys", func(t *testing.T) { t.Parallel(); testHostKeys(t, f) })
	t.Run("pool", func(t *testing.T) { t.Parallel(); testPoolBehaviour(t, f) })
	t.Run("jump", func(t *testing.T) { t.Parallel(); testJumpChain(t, f) })
}
