namespace Timonel.HostileTests.Running;

/// <summary>
/// The figures of one class after its run, and its failures grouped by what went wrong: a count per group and the
/// first three failing requests with their answers, so the output stays short however many cases fail.
/// </summary>
internal sealed class ClassReport(string name)
{
    private const int Examples = 3;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, int> _failureCounts = new(StringComparer.Ordinal);
    private readonly List<string> _failureExamples = [];
    private readonly List<string> _storeChangeExamples = [];
    private readonly List<string> _allFailures = [];

    public string Name { get; } = name;

    public int Cases { get; private set; }

    public int Passed { get; private set; }

    /// <summary>Answers with a 5xx code (upstream answers none of the cases with one).</summary>
    public int ServerErrors { get; private set; }

    public int Dropped { get; private set; }

    /// <summary>Objects created, changed or deleted by a batch of requests that were all to be rejected (or dry runs).</summary>
    public int StoreChanges { get; private set; }

    public int NotReadyAfterBatch { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public bool Clean => Passed == Cases && StoreChanges == 0 && NotReadyAfterBatch == 0;

    public void Record(HostileCase testCase, Answer answer, string? mismatch)
    {
        lock (_lock)
        {
            Cases++;
            ServerErrors += answer.Code >= 500 ? 1 : 0;
            Dropped += answer.Code is null ? 1 : 0;
            if (mismatch is null)
            {
                Passed++;
                return;
            }

            _failureCounts[mismatch] = _failureCounts.GetValueOrDefault(mismatch) + 1;
            var failure = $"  {testCase.Name}\n    request:  {testCase.Describe()}\n    expected: {testCase.Expected}\n    answer:   {answer}";
            _allFailures.Add(failure);
            if (_failureExamples.Count < Examples)
            {
                _failureExamples.Add(failure);
            }
        }
    }

    public void RecordBatch(int batch, IReadOnlyList<string> changes, bool ready)
    {
        StoreChanges += changes.Count;
        NotReadyAfterBatch += ready ? 0 : 1;
        if (changes.Count > 0 && _storeChangeExamples.Count < Examples)
        {
            _storeChangeExamples.Add($"  batch {batch}: {string.Join("; ", changes.Take(Examples))}");
        }
    }

    /// <summary>Every failing case, for the file TIMONEL_HOSTILE_FAILURES names (the test output keeps three).</summary>
    public IReadOnlyList<string> AllFailures => _allFailures;

    public IEnumerable<string> Lines()
    {
        yield return $"{Name}: {Cases} cases, {Passed} passed, {ServerErrors} 5xx, {Dropped} dropped, {StoreChanges} store changes, "
            + $"{NotReadyAfterBatch} batches not ready after, {Elapsed.TotalSeconds:0.0}s";
        foreach (var (mismatch, count) in _failureCounts.OrderByDescending(f => f.Value))
        {
            yield return $"  {count,6} x {mismatch}";
        }

        foreach (var line in _failureExamples.Concat(_storeChangeExamples))
        {
            yield return line;
        }
    }
}
