using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.DefaultPreemption;

/// <summary>Chooses the node to preempt on among the candidates (upstream preemption pickOneNodeForPreemption).</summary>
public static class NodeForPreemption
{
    /// <summary>
    /// Each criterion keeps the candidates with its best score and the next one breaks ties: fewest budget
    /// violations, lowest priority of the most important victim, smallest sum of victim priorities, fewest victims,
    /// latest start among the most important victims; then the first candidate. Victims are sorted most important first.
    /// </summary>
    public static Candidate? Pick(IReadOnlyList<Candidate> candidates, DateTime now)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        Func<Candidate, long>[] scores =
        [
            c => -c.NumPdbViolations,
            c => -(long)PodPriority.Of(c.Victims[0].Pod),

            // upstream adds MaxInt32+1 to each priority so that fewer pods of negative priority score better.
            c => -c.Victims.Sum(v => (long)PodPriority.Of(v.Pod) + int.MaxValue + 1L),
            c => -c.Victims.Count,
            c => EarliestStartOfHighestPriority(c, now).Ticks,
        ];
        IReadOnlyList<Candidate> remaining = candidates;
        foreach (var score in scores)
        {
            var best = long.MinValue;
            var selected = new List<Candidate>();
            foreach (var candidate in remaining)
            {
                var value = score(candidate);
                if (value > best)
                {
                    best = value;
                    selected.Clear();
                }

                if (value == best)
                {
                    selected.Add(candidate);
                }
            }

            if (selected.Count == 1)
            {
                return selected[0];
            }

            remaining = selected;
        }

        return remaining[0];
    }

    // upstream util.GetEarliestPodStartTime: the earliest start among the victims of the highest priority.
    private static DateTime EarliestStartOfHighestPriority(Candidate candidate, DateTime now)
    {
        var highest = PodPriority.Of(candidate.Victims[0].Pod);
        return candidate.Victims.Where(v => PodPriority.Of(v.Pod) == highest).Min(v => PodPriority.StartTime(v.Pod, now));
    }
}
