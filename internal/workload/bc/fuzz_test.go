package bc

import "testing"

// FuzzBC runs arbitrary bc programs: no panic, bounded output, and the
// same result twice.
func FuzzBC(f *testing.F) {
	for _, s := range []string{
		"scale=20; 4*a(1)\n",
		"1/3; -1/3; 2^-2; (-.001)^3; 5%3\n",
		"define f(x) { auto y; y = x^2; return (y) }\nf(3)\n",
		"for (i=0; i<3; i++) i\nobase=16; 255\n",
		"scale=50; s(1); c(1); e(1); l(2); sqrt(2); j(2,1.5)\n",
		"x=10; while(x) x=x-1\nx\n",
		"\"str\"; print 1, \"\\n\"\nquit\n",
		"ibase=2; 101.1\n",
		"a[3]=1; a[3]+a[2]\n",
		"1 +\n",
		"scale=70; a(.7)\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		cfg := Config{MathLib: true, LineLen: DefaultLineLength, OutLimit: 1 << 16}
		a := Run(src, cfg)
		if len(a.Stdout) > cfg.OutLimit+1 || len(a.Stderr) > cfg.OutLimit+200 {
			t.Fatalf("output %d/%d bytes", len(a.Stdout), len(a.Stderr))
		}
		if a.Cost < BaseCost {
			t.Fatalf("cost %v", a.Cost)
		}
		b := Run(src, cfg)
		if a.Stdout != b.Stdout || a.Stderr != b.Stderr || a.Cost != b.Cost {
			t.Fatalf("not deterministic")
		}
	})
}
