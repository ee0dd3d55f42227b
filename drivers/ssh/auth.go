package ssh

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// loginUser returns a.User or, like OpenSSH, the local user name.
func loginUser(a Auth) string {
	if a.User != "" {
		return a.User
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}

// authMethods builds the x/crypto auth methods for a. The returned closer
// releases the agent connection, if one was opened; call it once the
// handshake is over. Errors name files and settings, never secrets.
func authMethods(a Auth) ([]gossh.AuthMethod, func(), error) {
	noop := func() {}
	var signers []gossh.Signer
	if a.KeyFile != "" {
		s, err := loadKey(a.KeyFile, a.Passphrase)
		if err != nil {
			return nil, noop, err
		}
		signers = append(signers, s)
	}
	closer := noop
	var agentErr error
	if a.Agent {
		// Like OpenSSH, an unusable agent is not fatal while other
		// methods remain; it is reported when none does.
		as, c, err := agentSigners(a.AgentSocket)
		if err == nil {
			signers = append(signers, as...)
			closer = c
		}
		agentErr = err
	}
	var methods []gossh.AuthMethod
	if len(signers) > 0 {
		// One publickey method holding every signer: x/crypto tries each
		// method name only once.
		methods = append(methods, gossh.PublicKeys(signers...))
	}
	if a.KeyboardInteractive && a.Password != "" {
		methods = append(methods, gossh.KeyboardInteractive(answerPasswordPrompts(a.Password)))
	}
	if a.Password != "" {
		methods = append(methods, gossh.Password(a.Password.Reveal()))
	}
	if len(methods) == 0 {
		closer()
		if agentErr != nil {
			return nil, noop, agentErr
		}
		return nil, noop, errors.New("no usable authentication method (key file, agent or password)")
	}
	return methods, closer, nil
}

// expandHome turns a leading "~/" into the home directory.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// loadKey reads a private key, decrypting it with passphrase when needed.
func loadKey(path string, passphrase Secret) (gossh.Signer, error) {
	path = expandHome(path)
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	s, err := gossh.ParsePrivateKey(pem)
	var missing *gossh.PassphraseMissingError
	switch {
	case err == nil:
		return s, nil
	case errors.As(err, &missing) && passphrase == "":
		return nil, fmt.Errorf("key file %s is passphrase-protected and no passphrase is configured", path)
	case errors.As(err, &missing):
		s, err = gossh.ParsePrivateKeyWithPassphrase(pem, []byte(passphrase.Reveal()))
		if err != nil {
			return nil, fmt.Errorf("key file %s: cannot decrypt with the configured passphrase (%v)", path, scrubbed(err))
		}
		return s, nil
	default:
		return nil, fmt.Errorf("key file %s: %v", path, scrubbed(err))
	}
}

// scrubbed keeps only the error's message class: parse errors from key
// decoding never echo key material, but be conservative about length.
func scrubbed(err error) string {
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120] + "..."
	}
	return msg
}

// agentSigners connects to the agent and lists its keys.
func agentSigners(socket string) ([]gossh.Signer, func(), error) {
	noop := func() {}
	if socket == "" {
		socket = os.Getenv("SSH_AUTH_SOCK")
	}
	if socket == "" {
		return nil, noop, errors.New("agent authentication requested but no agent socket is set (SSH_AUTH_SOCK is empty)")
	}
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return nil, noop, fmt.Errorf("ssh-agent at %s: %w", socket, err)
	}
	signers, err := agent.NewClient(conn).Signers()
	if err != nil {
		conn.Close()
		return nil, noop, fmt.Errorf("ssh-agent at %s: listing keys: %w", socket, err)
	}
	if len(signers) == 0 {
		conn.Close()
		return nil, noop, fmt.Errorf("ssh-agent at %s holds no keys", socket)
	}
	return signers, func() { conn.Close() }, nil
}

// answerPasswordPrompts answers hidden-input prompts with password and an
// empty challenge (servers send some) with nothing. A prompt that wants
// visible input cannot be answered unattended.
func answerPasswordPrompts(password Secret) gossh.KeyboardInteractiveChallenge {
	return func(name, instruction string, questions []string, echos []bool) ([]string, error) {
		answers := make([]string, len(questions))
		for i, q := range questions {
			if echos[i] {
				return nil, fmt.Errorf("keyboard-interactive: server asks %q with visible input; only password prompts can be answered", q)
			}
			answers[i] = password.Reveal()
		}
		return answers, nil
	}
}
