using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorForecast.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SeedsAndSignificance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Runs from before seeds and folds were counted trained one seed and read as one fold: 1, not 0.
            migrationBuilder.DropPrimaryKey(
                name: "PK_RunEpochs",
                table: "RunEpochs");

            migrationBuilder.AddColumn<string>(
                name: "AssessmentJson",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Folds",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "PartsDone",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Seeds",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "Fold",
                table: "RunEpochs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SeedIndex",
                table: "RunEpochs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "PK_RunEpochs",
                table: "RunEpochs",
                columns: new[] { "RunId", "Fold", "SeedIndex", "Epoch" });

            migrationBuilder.CreateTable(
                name: "RunParts",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Fold = table.Column<int>(type: "INTEGER", nullable: false),
                    SeedIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    SummaryJson = table.Column<string>(type: "TEXT", nullable: false),
                    Weights = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunParts", x => new { x.RunId, x.Fold, x.SeedIndex });
                    table.ForeignKey(
                        name: "FK_RunParts_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunParts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_RunEpochs",
                table: "RunEpochs");

            migrationBuilder.DropColumn(
                name: "AssessmentJson",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Folds",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "PartsDone",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Seeds",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Fold",
                table: "RunEpochs");

            migrationBuilder.DropColumn(
                name: "SeedIndex",
                table: "RunEpochs");

            migrationBuilder.AddPrimaryKey(
                name: "PK_RunEpochs",
                table: "RunEpochs",
                columns: new[] { "RunId", "Epoch" });
        }
    }
}
