using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Tests.Training.Pruning;

public sealed class AgpScheduleTests
{
    [Fact]
    public void SparsityFollowsTheCubic_OfZhuAndGupta()
    {
        var agp = new AgpSchedule(StartStep: 10, PruningSteps: 4, Frequency: 5); // pruning at 10, 15, 20, 25, 30
        Assert.Equal(0.0, agp.SparsityAt(0, 0, 0.8));
        Assert.Equal(0.0, agp.SparsityAt(10, 0, 0.8));
        // t = 15: s = s_f + (s_i − s_f)(1 − 5/20)³ = 0.8 − 0.8·0.421875 = 0.4625
        Assert.Equal(0.4625, agp.SparsityAt(15, 0, 0.8), 12);
        Assert.Equal(0.4625, agp.SparsityAt(19, 0, 0.8), 12); // held until the next pruning step
        Assert.Equal(0.8 - 0.8 * 0.125, agp.SparsityAt(20, 0, 0.8), 12);
        Assert.Equal(0.8, agp.SparsityAt(30, 0, 0.8), 12);
        Assert.Equal(0.8, agp.SparsityAt(1000, 0, 0.8), 12);
        Assert.Equal(0.5 + 0.3 * (1 - 0.421875), agp.SparsityAt(15, 0.5, 0.8), 12); // from an already pruned start
        Assert.True(agp.IsPruningStep(25));
        Assert.False(agp.IsPruningStep(26));
        Assert.False(agp.IsPruningStep(35));
    }

    [Fact]
    public void Spread_EndsTheScheduleAtTheAskedFractionOfTheRun()
    {
        var agp = AgpSchedule.Spread(totalSteps: 100, pruningSteps: 10, endFraction: 0.7);
        Assert.Equal(7, agp.Frequency);
        Assert.Equal(70, agp.EndStep);
    }
}
