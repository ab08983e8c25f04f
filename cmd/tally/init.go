package main

import (
	"fmt"
	"io"

	"github.com/tallycredit/tally/examples"
)

func cmdInit(e *env, args []string) error {
	fs := e.flags("init", "[--name NAME]")
	name := fs.String("name", "", e.text("cli.flag.instance_name"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(true)
	if err != nil {
		return err
	}
	defer done()
	// The default sanctions catalogue, so that lists work at once;
	// publishing it again changes nothing.
	if _, err := svc.PublishCatalogue(e.ctx, "sanctions.yml", examples.Sanctions); err != nil {
		return err
	}
	// The instance's name on the exchange, set once.
	if *name != "" {
		if err := svc.SetInstanceName(e.ctx, *name); err != nil {
			return err
		}
	}
	// The report signing key, apart from the identity key; a server
	// database names it (TALLY_SIGN_KEY_FILE) or makes it at the first report.
	if path := e.signKeyPath(""); path != "" {
		if _, err := e.loadSignKey(svc, path, true); err != nil {
			return err
		}
	}
	return e.print(map[string]string{"db": e.cfg.DB, "key_file": e.keyPath()}, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.init.ready", e.cfg.DB, e.keyPath()))
	})
}
