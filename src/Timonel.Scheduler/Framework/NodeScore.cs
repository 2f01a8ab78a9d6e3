namespace Timonel.Scheduler.Framework;

/// <summary>A node's score from one plugin, or in total (upstream NodeScore).</summary>
public struct NodeScore
{
    public NodeScore(string name, long score)
    {
        Name = name;
        Score = score;
    }

    public string Name { get; set; }

    public long Score { get; set; }
}
