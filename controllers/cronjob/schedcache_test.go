package cronjob

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/objects"
)

// A remembered schedule answers as the schedule itself, for every text and
// instant, asked again or not, and a bad text gives the same error each
// time; the cache stays within its bound.
func TestCachedScheduleAnswersAsTheSchedule(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	texts := []string{"*/1 * * * *", "30 6-16/4 * * 1-5", "0 0 29 2 *", "TZ=America/New_York 0 2 * * *", "@hourly"}
	cache := newScheduleCache()
	r := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC) // a DST change in New York
	for i := range 3 * maxCachedSchedules {
		text := texts[r.IntN(len(texts))]
		parsed, err := cache.parse(text)
		require.NoError(t, err)
		want, err := objects.ParseCronSchedule(text)
		require.NoError(t, err)
		local := localSchedule{sched: want, loc: loc}
		cached := cachedSchedule{cache: cache, text: text, local: localSchedule{sched: parsed, loc: loc}}
		at := base.Add(time.Duration(r.IntN(3*24*60)) * time.Minute) // repeats often
		got := cached.Next(at)
		assert.True(t, got.Equal(local.Next(at)), "%s after %v (query %d)", text, at, i)
		assert.Equal(t, local.Next(at).Location(), got.Location())
		require.LessOrEqual(t, len(cache.nexts), maxCachedSchedules)
	}
	_, err1 := cache.parse("61 * * * *")
	_, err2 := cache.parse("61 * * * *")
	require.Error(t, err1)
	assert.Equal(t, err1, err2)
}
