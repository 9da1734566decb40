using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Data;

public sealed class ForecastDbContext(DbContextOptions<ForecastDbContext> options) : DbContext(options)
{
    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<DatasetColumn> DatasetColumns => Set<DatasetColumn>();

    public DbSet<DatasetTimeline> DatasetTimelines => Set<DatasetTimeline>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<RunEpoch> RunEpochs => Set<RunEpoch>();

    public DbSet<RunArtifact> RunArtifacts => Set<RunArtifact>();

    public DbSet<RunTag> RunTags => Set<RunTag>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Dataset>(dataset =>
        {
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.Property(d => d.Description).HasMaxLength(4000);
            dataset.Property(d => d.OriginalFileName).HasMaxLength(260);
            dataset.Property(d => d.Frequency).HasMaxLength(40);
            dataset.Property(d => d.DateColumn).HasMaxLength(200);
            dataset.Property(d => d.DefaultTarget).HasMaxLength(200);
            dataset.HasIndex(d => d.UploadedAt);
            dataset.HasMany(d => d.Columns).WithOne().HasForeignKey(c => c.DatasetId).OnDelete(DeleteBehavior.Cascade);
            dataset.HasOne(d => d.Timeline).WithOne().HasForeignKey<DatasetTimeline>(t => t.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DatasetColumn>(column =>
        {
            column.HasKey(c => new { c.DatasetId, c.Ordinal });
            column.Property(c => c.Name).HasMaxLength(200);
            column.Property(c => c.SourceName).HasMaxLength(200);
            column.Property(c => c.Role).HasConversion<string>().HasMaxLength(20);
        });

        modelBuilder.Entity<DatasetTimeline>(timeline => timeline.HasKey(t => t.DatasetId));

        modelBuilder.Entity<Run>(run =>
        {
            run.Property(r => r.Name).HasMaxLength(200);
            run.Property(r => r.Notes).HasMaxLength(4000);
            run.Property(r => r.ModelKind).HasMaxLength(40);
            run.Property(r => r.Device).HasMaxLength(20);
            run.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            run.HasIndex(r => r.Status);
            run.HasIndex(r => r.CreatedAt);
            run.HasIndex(r => new { r.DatasetId, r.TestRmse });
            run.HasOne<Dataset>().WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Cascade);
            run.HasMany(r => r.Epochs).WithOne().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
            run.HasMany(r => r.Tags).WithOne().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);
            run.HasOne<RunArtifact>().WithOne().HasForeignKey<RunArtifact>(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RunEpoch>(epoch => epoch.HasKey(e => new { e.RunId, e.Epoch }));
        modelBuilder.Entity<RunArtifact>(artifact => artifact.HasKey(a => a.RunId));
        modelBuilder.Entity<RunTag>(tag =>
        {
            tag.HasKey(t => new { t.RunId, t.Tag });
            tag.Property(t => t.Tag).HasMaxLength(Features.Runs.RunTags.MaxLength);
            tag.HasIndex(t => t.Tag);
        });
    }
}
