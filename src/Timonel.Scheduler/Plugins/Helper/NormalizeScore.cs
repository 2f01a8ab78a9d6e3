using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.Helper;

/// <summary>upstream plugins/helper/normalize_score.go.</summary>
public static class NormalizeScore
{
    /// <summary>
    /// Scales the scores so the highest becomes <paramref name="maxPriority"/>; <paramref name="reverse"/> turns them
    /// around (max - score), for plugins that count something bad. All zero stays zero, or becomes max when reversed.
    /// </summary>
    public static Status Default(long maxPriority, bool reverse, NodeScore[] scores)
    {
        long maxCount = 0;
        foreach (var score in scores)
        {
            maxCount = Math.Max(maxCount, score.Score);
        }

        if (maxCount == 0)
        {
            if (reverse)
            {
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i].Score = maxPriority;
                }
            }

            return Status.Success;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            var score = maxPriority * scores[i].Score / maxCount;
            scores[i].Score = reverse ? maxPriority - score : score;
        }

        return Status.Success;
    }
}
