package alerting

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"time"
)

// SMTPServer is a real SMTP server on loopback, enough of RFC 5321 for
// Go's net/smtp client (which Alertmanager uses): EHLO, STARTTLS, AUTH PLAIN
// and LOGIN (offered only over TLS, as a mail provider on port 587 does),
// MAIL, RCPT, DATA, RSET, NOOP and QUIT. Every message it accepts goes to
// the inbox as an email notification; the credentials it was sent with are
// kept for assertions.
type SMTPServer struct {
	TLS   *tls.Config
	inbox *Inbox

	mu    sync.Mutex
	auths []string // "user:password" per successful AUTH
	l     net.Listener
	wg    sync.WaitGroup
}

// NewSMTPServer listens on a free loopback port.
func NewSMTPServer(inbox *Inbox, tlsConfig *tls.Config) (*SMTPServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	s := &SMTPServer{TLS: tlsConfig, inbox: inbox, l: l}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is host:port.
func (s *SMTPServer) Addr() string { return s.l.Addr().String() }

// Auths are the user:password pairs clients authenticated with.
func (s *SMTPServer) Auths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// Close stops accepting and waits for the accept loop.
func (s *SMTPServer) Close() error {
	err := s.l.Close()
	s.wg.Wait()
	return err
}

func (s *SMTPServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(time.Minute))
			_ = s.session(c)
		}()
	}
}

type smtpSession struct {
	s        *SMTPServer
	tp       *textproto.Conn
	conn     net.Conn
	tls      bool
	authed   bool
	from, to []string
}

func (s *SMTPServer) session(c net.Conn) error {
	ss := &smtpSession{s: s, conn: c, tp: textproto.NewConn(c)}
	if err := ss.tp.PrintfLine("220 fake-smtp.test ESMTP ready"); err != nil {
		return err
	}
	for {
		line, err := ss.tp.ReadLine()
		if err != nil {
			return err
		}
		verb, arg, _ := strings.Cut(line, " ")
		quit, err := ss.command(strings.ToUpper(verb), arg)
		if err != nil || quit {
			return err
		}
	}
}

func (ss *smtpSession) reply(format string, args ...any) error {
	return ss.tp.PrintfLine(format, args...)
}

func (ss *smtpSession) command(verb, arg string) (quit bool, err error) {
	switch verb {
	case "EHLO", "HELO":
		lines := []string{"fake-smtp.test greets " + arg, "8BITMIME"}
		if !ss.tls && ss.s.TLS != nil {
			lines = append(lines, "STARTTLS")
		}
		if ss.tls {
			lines = append(lines, "AUTH PLAIN LOGIN")
		}
		for i, l := range lines {
			sep := "-"
			if i == len(lines)-1 {
				sep = " "
			}
			if err := ss.reply("250%s%s", sep, l); err != nil {
				return false, err
			}
		}
		return false, nil
	case "STARTTLS":
		if ss.tls || ss.s.TLS == nil {
			return false, ss.reply("503 5.5.1 TLS not available")
		}
		if err := ss.reply("220 2.0.0 Ready to start TLS"); err != nil {
			return false, err
		}
		tc := tls.Server(ss.conn, ss.s.TLS)
		if err := tc.Handshake(); err != nil {
			return true, err
		}
		ss.conn, ss.tp, ss.tls = tc, textproto.NewConn(tc), true
		ss.from, ss.to, ss.authed = nil, nil, false
		return false, nil
	case "AUTH":
		return false, ss.auth(arg)
	case "MAIL":
		if !ss.authed {
			return false, ss.reply("530 5.7.0 Authentication required")
		}
		ss.from = []string{addrOf(arg)}
		return false, ss.reply("250 2.1.0 OK")
	case "RCPT":
		ss.to = append(ss.to, addrOf(arg))
		return false, ss.reply("250 2.1.5 OK")
	case "DATA":
		return false, ss.data()
	case "RSET":
		ss.from, ss.to = nil, nil
		return false, ss.reply("250 2.0.0 OK")
	case "NOOP":
		return false, ss.reply("250 2.0.0 OK")
	case "QUIT":
		return true, ss.reply("221 2.0.0 Bye")
	default:
		return false, ss.reply("502 5.5.2 Command not recognized")
	}
}

func addrOf(arg string) string {
	_, a, _ := strings.Cut(arg, ":")
	a = strings.TrimSpace(a)
	if i := strings.Index(a, " "); i >= 0 {
		a = a[:i]
	}
	return strings.Trim(a, "<>")
}

func (ss *smtpSession) auth(arg string) error {
	if !ss.tls {
		return ss.reply("538 5.7.11 Encryption required for requested authentication mechanism")
	}
	mech, initial, _ := strings.Cut(arg, " ")
	var user, pass string
	switch strings.ToUpper(mech) {
	case "PLAIN":
		resp := initial
		if resp == "" {
			if err := ss.reply("334 "); err != nil {
				return err
			}
			l, err := ss.tp.ReadLine()
			if err != nil {
				return err
			}
			resp = l
		}
		raw, err := base64.StdEncoding.DecodeString(resp)
		parts := bytes.Split(raw, []byte{0})
		if err != nil || len(parts) != 3 {
			return ss.reply("501 5.5.2 Cannot decode response")
		}
		user, pass = string(parts[1]), string(parts[2])
	case "LOGIN":
		read := func(prompt string) (string, error) {
			if err := ss.reply("334 %s", base64.StdEncoding.EncodeToString([]byte(prompt))); err != nil {
				return "", err
			}
			l, err := ss.tp.ReadLine()
			if err != nil {
				return "", err
			}
			b, err := base64.StdEncoding.DecodeString(l)
			return string(b), err
		}
		var err error
		if user, err = read("Username:"); err != nil {
			return ss.reply("501 5.5.2 Cannot decode response")
		}
		if pass, err = read("Password:"); err != nil {
			return ss.reply("501 5.5.2 Cannot decode response")
		}
	default:
		return ss.reply("504 5.5.4 Unrecognized authentication type")
	}
	ss.s.mu.Lock()
	ss.s.auths = append(ss.s.auths, user+":"+pass)
	ss.s.mu.Unlock()
	ss.authed = true
	return ss.reply("235 2.7.0 Authentication successful")
}

func (ss *smtpSession) data() error {
	if len(ss.from) == 0 || len(ss.to) == 0 {
		return ss.reply("503 5.5.1 Need MAIL and RCPT first")
	}
	if err := ss.reply("354 Go ahead"); err != nil {
		return err
	}
	raw, err := io.ReadAll(ss.tp.DotReader())
	if err != nil {
		return err
	}
	subject, text, perr := parseMail(raw)
	if perr != nil {
		return ss.reply("554 5.6.0 %v", perr)
	}
	ss.s.inbox.add(Notification{Kind: KindEmail, To: strings.Join(ss.to, ","), Action: "mail", Key: subject, Summary: subject, Text: text})
	ss.from, ss.to = nil, nil
	return ss.reply("250 2.0.0 OK queued")
}

// parseMail returns the subject and the text/plain body of a message,
// decoding the multipart/alternative and quoted-printable parts
// Alertmanager sends.
func parseMail(raw []byte) (subject, text string, err error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", "", err
	}
	dec := new(mime.WordDecoder)
	subject, err = dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return "", "", err
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return "", "", err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, err := decodePart(m.Body, m.Header.Get("Content-Transfer-Encoding"))
		return subject, b, err
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return subject, text, nil
		}
		if err != nil {
			return "", "", err
		}
		if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct == "text/plain" {
			if text, err = decodePart(p, p.Header.Get("Content-Transfer-Encoding")); err != nil {
				return "", "", err
			}
		}
	}
}

func decodePart(r io.Reader, encoding string) (string, error) {
	if strings.EqualFold(encoding, "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(bufio.NewReader(r))
	return string(b), err
}
