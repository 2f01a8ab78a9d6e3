using System.Globalization;
using System.Text;

namespace Timonel.Controllers.Job;

/// <summary>
/// A set of completion indexes below the job's completions, written as upstream writes status.completedIndexes and
/// status.failedIndexes: ascending intervals joined by commas, "0-2,4,6,7" (pkg/controller/job/indexed_job_utils.go
/// orderedIntervals.String).
/// </summary>
internal sealed class CompletionIndexes
{
    private readonly SortedSet<int> _indexes;

    public CompletionIndexes(IEnumerable<int>? indexes = null) => _indexes = [.. indexes ?? []];

    public int Total => _indexes.Count;

    public bool Has(int index) => _indexes.Contains(index);

    /// <summary>
    /// parseIndexesFromString: intervals or single indexes separated by commas; whatever does not parse, and indexes
    /// at or past <paramref name="completions"/>, are left out (upstream logs and skips them too).
    /// </summary>
    public static CompletionIndexes Parse(string? text, int completions)
    {
        var result = new CompletionIndexes();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = dash < 0 ? part : part[..dash];
            var last = dash < 0 ? part : part[(dash + 1)..];
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || from > to)
            {
                continue;
            }

            for (var i = from; i <= Math.Min(to, completions - 1); i++)
            {
                result._indexes.Add(i);
            }
        }

        return result;
    }

    /// <summary>A new set: these indexes and <paramref name="more"/>.</summary>
    public CompletionIndexes With(IEnumerable<int> more) => new(_indexes.Concat(more));

    /// <summary>How many of <paramref name="other"/>'s indexes are in this set.</summary>
    public int Intersection(CompletionIndexes other) => _indexes.Count(other.Has);

    public override string ToString()
    {
        var text = new StringBuilder();
        int? start = null;
        var previous = 0;
        foreach (var index in _indexes)
        {
            if (start is not null && index == previous + 1)
            {
                previous = index;
                continue;
            }

            Append(text, start, previous);
            start = index;
            previous = index;
        }

        Append(text, start, previous);
        return text.ToString();
    }

    private static void Append(StringBuilder text, int? start, int end)
    {
        if (start is not { } first)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(first.ToString(CultureInfo.InvariantCulture));
        if (end > first)
        {
            // Two neighbours are written as a list, a longer run as an interval ("3,4" but "3-5").
            text.Append(end == first + 1 ? ',' : '-').Append(end.ToString(CultureInfo.InvariantCulture));
        }
    }
}
