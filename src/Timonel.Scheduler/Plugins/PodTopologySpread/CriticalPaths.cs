namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// The two domains with the fewest matching pods of one constraint (upstream podtopologyspread criticalPaths): the
/// first holds the global minimum, and keeping two lets a pod added or removed update it without reading every domain.
/// </summary>
internal sealed class CriticalPaths
{
    private string? _value0;
    private int _num0 = int.MaxValue;
    private string? _value1;
    private int _num1 = int.MaxValue;

    /// <summary>The smallest count; int.MaxValue while no domain was seen.</summary>
    public int Min => _num0;

    public CriticalPaths Clone() => (CriticalPaths)MemberwiseClone();

    /// <summary>upstream criticalPaths.update: <paramref name="value"/>'s domain now has <paramref name="num"/> matching pods.</summary>
    public void Update(string value, int num)
    {
        if (value == _value0 || value == _value1)
        {
            if (value == _value0)
            {
                _num0 = num;
            }
            else
            {
                _num1 = num;
            }

            if (_num0 > _num1)
            {
                (_value0, _num0, _value1, _num1) = (_value1, _num1, _value0, _num0);
            }
        }
        else if (num < _num0)
        {
            (_value1, _num1) = (_value0, _num0);
            (_value0, _num0) = (value, num);
        }
        else if (num < _num1)
        {
            (_value1, _num1) = (value, num);
        }
    }
}
