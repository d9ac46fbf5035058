#include "analysis/report_text.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "sim/error.h"

namespace analysis {

namespace {

struct Entry {
  const char* key;
  const char* id;
  const char* en;
};

// Keys group by where they appear: doc (the page), sec and lead (sections), chart and
// axis, metric (the comparison's outcomes, in analysis::comparison_metrics order), cause,
// params, prov (provenance), sweep.
constexpr Entry TEXTS[] = {
    {"doc.title.compare", "Laporan perbandingan skenario: {1}", "Scenario comparison report: {1}"},
    {"doc.title.run", "Laporan skenario: {1}", "Scenario report: {1}"},
    {"doc.title.sweep", "Laporan analisis sensitivitas: {1}", "Sensitivity analysis report: {1}"},
    {"doc.subtitle", "berdaya · simulasi berbasis agen program KUBE (Kelompok Usaha Bersama)",
     "berdaya · agent-based simulation of the KUBE program (joint business groups)"},
    {"doc.source", "Dari berkas hasil {1}, ditulis {2}.", "From the result file {1}, written {2}."},
    {"doc.contents", "Isi", "Contents"},
    {"doc.failed",
     "Peringatan: {1} simulasi gagal (pesannya ada di /runs/message). Angka di laporan ini hanya memakai simulasi yang "
     "berhasil.",
     "Warning: {1} runs failed (their messages are in /runs/message). The numbers in this report use only the runs "
     "that succeeded."},
    {"doc.intro.compare",
     "Setiap nilai diperkirakan dari {1} replikasi sekaligus: Kaplan-Meier atas semua kelompok yang didanai, dan rasio "
     "total (misalnya total biaya dibagi total pendapatan yang diperoleh). Selisih terhadap skenario dasar “{2}” "
     "dipasangkan per replikasi: pada replikasi yang sama semua skenario memakai rumah tangga dan guncangan yang sama "
     "(bilangan acak bersama), dan setiap sampel ulang mengambil replikasi yang sama untuk keduanya, sehingga "
     "selisihnya "
     "lebih tajam daripada perbandingan dua nilai.",
     "Every value is estimated from all {1} replicates together: a Kaplan-Meier over all funded groups, and ratios of "
     "totals (such as total cost over total income gained). Differences to the baseline “{2}” are paired by replicate: "
     "at a given replicate all scenarios share the same households and shocks (common random numbers), and every "
     "resample takes the same replicates for both, so the differences are sharper than a comparison of two values."},
    {"doc.intro.run",
     "Setiap nilai diperkirakan dari {1} replikasi sekaligus: Kaplan-Meier atas semua kelompok yang didanai, dan rasio "
     "total.",
     "Every value is estimated from all {1} replicates together: a Kaplan-Meier over all funded groups, and ratios of "
     "totals."},
    {"doc.interval",
     "Interval 95% hanya mengukur presisi simulasi (Monte Carlo): seberapa jauh angka akan bergeser dengan replikasi "
     "lain dari model yang sama, bukan ketidakpastian tentang parameter model. Interval dibuat dengan bootstrap "
     "persentil atas {1} replikasi ({2} sampel ulang {4}), sehingga bagian tetap di antara 0 dan 100%. "
     "Kelangsungan pada bulan tertentu setelah pencairan tidak dapat diestimasi bila kurang dari {3} kelompok yang "
     "didanai (semua replikasi) dapat diamati selama itu, yaitu didanai sedikitnya selama itu sebelum akhir simulasi.",
     "The 95% intervals measure simulation (Monte Carlo) precision only: how far a number would move with other "
     "replicates of the same model, not uncertainty about the model's parameters. They come from a percentile "
     "bootstrap over the {1} replicates ({2} resamples of {4}), so shares stay between 0 and 100%. "
     "Survival at a given month after funding is not estimable when fewer than {3} funded groups, all replicates "
     "together, could be followed that long: funded at least that many months before the end of the run."},
    {"doc.interval.whole", "replikasi utuh", "whole replicates"},
    {"doc.interval.batch", "kelompok {1} replikasi berurutan", "batches of {1} consecutive replicates"},
    {"doc.interval.batched",
     "Dengan lebih dari 1.000 replikasi, sampel ulang mengambil kelompok replikasi, bukan replikasi satu per satu, "
     "agar memori dan waktu tetap seperti 1.000 unit; estimasinya sendiri tetap jumlah atas semua replikasi.",
     "With more than 1,000 replicates the resamples draw batches instead of single replicates, so that memory and "
     "time stay those of 1,000 units; the estimates themselves are still sums over all replicates."},
    {"doc.interval.one",
     "Tanpa interval: satu replikasi tidak dapat menunjukkan seberapa jauh replikasi lain akan berbeda (presisi "
     "simulasi memerlukan sedikitnya dua).",
     "No intervals: one replicate cannot show how far another would differ (simulation precision needs at least "
     "two)."},
    {"doc.not_estimable", "tidak dapat diestimasi ({1} berisiko)", "not estimable ({1} at risk)"},
    {"doc.unbounded", "tak terbatas", "unbounded"},
    {"doc.counterfactual", "Kontrafaktual: skenario “{1}”.", "Counterfactual: the scenario “{1}”."},
    {"doc.counterfactual_inrun",
     "Kontrafaktual: pendapatan rumah tangga yang sama tanpa uang program, dihitung di dalam simulasi yang sama.",
     "Counterfactual: the same households' incomes without program cash, computed within the run."},
    {"doc.numbers", "Angka di balik grafik", "The numbers behind the chart"},
    {"doc.lower", "batas bawah 95%", "lower 95%"},
    {"doc.upper", "batas atas 95%", "upper 95%"},
    {"doc.series", "Seri", "Series"},
    {"doc.ci", "interval 95% (presisi simulasi)", "95% interval (simulation precision)"},
    {"doc.band", "pita 95% (presisi simulasi)", "95% band (simulation precision)"},
    {"doc.na", "t/a", "n/a"},
    {"doc.baseline", "dasar", "baseline"},
    {"doc.scenario", "Skenario", "Scenario"},
    {"doc.footer", "Dibuat oleh berdaya report. Semua grafik dan angka berasal dari berkas hasil di atas.",
     "Made by berdaya report. Every chart and number comes from the result file above."},

    {"sec.headline", "Ringkasan hasil", "Headline results"},
    {"sec.method", "Cara angka dihitung", "How the figures are made"},
    {"sec.over_time", "Dampak dari bulan ke bulan", "Effects month by month"},
    {"doc.appendix", "Lampiran", "Appendix"},
    {"doc.appendix.lead", "Lampiran: cara menghitung, rincian, dan asal-usul hasil.",
     "Appendix: how the figures are made, details, and where the results come from."},
    {"sec.survival", "Kelangsungan kelompok yang didanai", "Survival of funded groups"},
    {"sec.causes", "Penyebab kelompok berhenti", "Why groups fail"},
    {"sec.trajectories", "Pendapatan dan kemiskinan dari bulan ke bulan", "Income and poverty month by month"},
    {"sec.effects", "Dampak terhadap kontrafaktual", "Effects against the counterfactual"},
    {"sec.costs", "Biaya dan efektivitas biaya", "Costs and cost-effectiveness"},
    {"sec.indicators", "Tiga indikator Dinas Sosial", "The city office's three indicators"},
    {"sec.parameters", "Parameter yang dipakai", "Parameters used"},
    {"sec.provenance", "Asal-usul hasil", "Provenance"},
    {"sec.design", "Desain eksperimen", "Design"},
    {"sec.sensitivity", "Sensitivitas keluaran utama", "Sensitivity of the key outcomes"},

    {"lead.headline",
     "Tiap sel: nilai perkiraan, di bawahnya [interval 95% presisi simulasi], lalu Δ: selisih terhadap skenario dasar "
     "[interval 95%]. Pendapatan: hanya pendapatan yang berkelanjutan; transfer sekali (dana yang dibagi-bagikan) ada "
     "di "
     "kolom tersendiri dan tidak termasuk.",
     "Each cell: the estimate, below it [95% interval of simulation precision], then Δ: the difference to the baseline "
     "[95% interval]. Income: the lasting gain only; the one-off transfer (the grant shared out) has its own column "
     "and "
     "is not included."},
    {"lead.headline.run",
     "Tiap sel: nilai perkiraan, di bawahnya [interval 95% presisi simulasi]. Pendapatan: hanya pendapatan yang "
     "berkelanjutan; transfer sekali ada di kolom tersendiri.",
     "Each cell: the estimate, below it [95% interval of simulation precision]. Income: the lasting gain only; the "
     "one-off transfer has its own column."},
    {"table.groups", "Kelangsungan kelompok", "Survival of groups"},
    {"table.income", "Pendapatan dan kemiskinan", "Income and poverty"},
    {"table.costs", "Biaya dan indikator", "Costs and indicators"},
    {"lead.survival",
     "Bagian kelompok yang masih aktif menurut bulan sejak pencairan dana, satu garis per skenario, dengan pita "
     "ketelitian simulasi. Garis berhenti bila terlalu sedikit kelompok dapat diikuti selama itu. Cara menghitungnya "
     "ada di lampiran A.",
     "The share of groups still active by months since funding, one line per scenario, with its band of simulation "
     "precision. A line stops where too few groups could be followed that long. How it is computed is in appendix A."},
    {"lead.causes",
     "Insidensi kumulatif per penyebab (Aalen-Johansen, penyebab lain sebagai risiko bersaing): bagian kelompok "
     "yang didanai yang sudah berhenti karena penyebab itu, menurut bulan sejak pencairan. Skenario dasar dan "
     "skenario dengan kelangsungan 36 bulan tertinggi dan terendah.",
     "Cumulative incidence by cause (Aalen-Johansen, the other causes as competing risks): the share of funded groups "
     "that have ended for that cause, by months since funding. The baseline and the scenarios with the highest and the "
     "lowest survival at 36 months."},
    {"lead.causes.run",
     "Insidensi kumulatif per penyebab (Aalen-Johansen, penyebab lain sebagai risiko bersaing): bagian kelompok "
     "yang didanai yang sudah berhenti karena penyebab itu, menurut bulan sejak pencairan.",
     "Cumulative incidence by cause (Aalen-Johansen, the other causes as competing risks): the share of funded groups "
     "that have ended for that cause, by months since funding."},
    {"lead.trajectories",
     "Nilai bulanan atas semua replikasi (pendapatan penerima: per penerima pada bulan itu) dengan pita 95% dari "
     "bootstrap atas replikasi: dengan program (garis penuh) dan tanpa program (garis putus-putus, rumah tangga yang "
     "sama tanpa uang program). Pendapatan tidak memuat transfer sekali. Sumbu tegak sama untuk semua skenario.",
     "Monthly values over all replicates (recipients' income: per recipient that month) with 95% bands from a "
     "bootstrap "
     "over replicates: with the program (solid) and without it (dashed: the same households without program cash). "
     "Income leaves out the one-off transfer. The vertical axis is the same for every scenario."},
    {"lead.over_time",
     "Dampak setiap bulan terhadap kontrafaktual, satu garis per skenario dengan pita 95% presisi simulasi. Atas: "
     "pendapatan berkelanjutan penerima, yaitu pendapatan mereka dikurangi pendapatan rumah tangga yang sama tanpa "
     "program (tanpa transfer sekali). Bawah: perubahan angka kemiskinan seluruh rumah tangga DTKS, dalam poin persen; "
     "di bawah nol berarti lebih sedikit yang miskin.",
     "Each month's effect against the counterfactual, one line per scenario with its 95% band of simulation "
     "precision. Top: recipients' lasting income gain, their income minus the same households' without the program "
     "(one-off transfers left out). Bottom: the change in the poverty headcount of all DTKS households, in "
     "percentage points; below zero means fewer poor."},
    {"chart.over_time_income", "Pendapatan berkelanjutan penerima per bulan: dampak",
     "Recipients' lasting income gain per month"},
    {"chart.over_time_poverty", "Perubahan angka kemiskinan seluruh rumah tangga DTKS",
     "Change in the poverty headcount of all DTKS households"},
    {"axis.income_gain", "Rp per penerima per bulan", "Rp per recipient a month"},
    {"method.buys",
     "Ringkasan untuk pimpinan membagi dengan biaya total: kelompok aktif 36 bulan setelah pencairan (kelompok yang "
     "didanai × peluang bertahan 36 bulan) per Rp 1 miliar; pendapatan berkelanjutan total per rupiah; dan rumah "
     "tangga penerima yang berada di atas garis kemiskinan pada 12 bulan terakhir hanya karena program (bersih) per "
     "Rp 1 miliar. Biaya total adalah semua biaya program selama simulasi: modal, sosialisasi, pelatihan, kunjungan, "
     "pendamping, label, dan peralatan.",
     "The summary for the head of the office divides by the total cost: groups active 36 months after funding (groups "
     "funded × the chance of lasting 36 months) per Rp 1 billion; the total lasting income gain per rupiah; and "
     "recipient households above the poverty line in the last 12 months only thanks to the program (net) per Rp 1 "
     "billion. The total cost is every program cost over the run: grants, socialization, training, visits, mentors, "
     "labels and equipment."},
    {"lead.pooled.short",
     "Angka di bagian ini adalah rata-rata atas semua dunia yang masuk akal; seberapa yakin jawabannya ada di bagian "
     "sebelumnya.",
     "The figures of this section average over all plausible worlds; how sure the answers are is in the section "
     "before."},
    {"sub.income", "Pendapatan rumah tangga penerima", "Recipients' household income"},
    {"sub.poverty", "Angka kemiskinan seluruh rumah tangga DTKS", "Poverty headcount of all DTKS households"},
    {"lead.effects",
     "Dampak dengan interval 95% presisi simulasi. Pendapatan berkelanjutan: pendapatan bulanan penerima dikurangi "
     "pendapatan mereka sendiri tanpa program, per penerima per bulan selama simulasi. Di sampingnya, bukan bagian "
     "darinya: transfer sekali (dana hibah yang dibagi-bagikan), per penerima per bulan. Kemiskinan: perubahan angka "
     "kemiskinan seluruh rumah tangga terhadap kontrafaktual, 12 bulan terakhir.",
     "Effects with 95% intervals of simulation precision. Lasting income gain: recipients' monthly income minus their "
     "own income without the program, per recipient-month over the run. Beside it, not part of it: the one-off "
     "transfer (the grant shared out), per recipient-month. Poverty: the change of the whole pool's poverty headcount "
     "against the counterfactual, last 12 months."},
    {"lead.costs",
     "Total biaya program semua replikasi dibagi jumlah kelompok yang diperkirakan masih aktif 36 bulan setelah "
     "pencairan (kelompok didanai × kelangsungan 36 bulan), dan total biaya dibagi total pendapatan berkelanjutan yang "
     "diperoleh penerima (kebalikan dari produktivitas), dengan interval 95% presisi simulasi. Interval yang ujung "
     "atasnya tak terbatas berarti sebagian sampel ulang tidak memperoleh pendapatan sama sekali.",
     "Total program cost of all replicates divided by the groups expected to be active 36 months after funding (groups "
     "funded × survival at 36 months), and total cost divided by the total lasting income recipients gained (the "
     "inverse of productivity), with 95% intervals of simulation precision. An unbounded upper end means some "
     "resamples gained no income at all."},
    {"lead.indicators",
     "Indikator kinerja Dinas Sosial Kota: efektivitas (kelompok didanai yang aktif di akhir), responsivitas "
     "(kebutuhan kelompok yang dijawab dalam 3 bulan) dan akuntabilitas (galat laporan tahunan: kelompok aktif menurut "
     "laporan dikurangi yang sebenarnya; nol berarti tepat).",
     "The city social-affairs office's indicators: effectiveness (funded groups active at the end), responsiveness "
     "(groups' needs answered within 3 months) and accountability (the yearly report's error: active groups reported "
     "minus the true number; zero is exact)."},
    {"lead.pooled",
     "Bagian hasil sesudah ringkasan dan sesudah bagian posterior menggabungkan semua dunia yang masuk akal: {1} "
     "undian posterior × {2} ulangan per skenario dibaca sebagai {3} ulangan, berpasangan pada undian dan ulangan yang "
     "sama. Nilainya adalah rata-rata atas dunia-dunia itu; intervalnya hanya mengukur ketelitian simulasi rata-rata "
     "tersebut, bukan ketidakpastian parameter: seberapa yakin jawabannya ada di ringkasan untuk pimpinan dan di "
     "bagian posterior. Tabel parameter menunjukkan dunia pertama (undian 0); parameter yang dikalibrasi berbeda dari "
     "dunia ke dunia.",
     "The result sections after the summary and the posterior section pool every plausible world: each scenario's {1} "
     "posterior draws × {2} replicates are read as {3} replicates, paired at the same draw and replicate. Values are "
     "averages over those worlds; their intervals measure only the simulation precision of those averages, not "
     "parameter uncertainty: how sure the answers are is in the summary for the head of the office and the posterior "
     "section. The parameter tables show the first world (draw 0); the calibrated parameters differ from world to "
     "world."},
    {"lead.parameters", "Pengaturan tiap skenario yang berbeda dari skenario dasar “{1}”.",
     "Each scenario's settings that differ from the baseline “{1}”."},
    {"lead.parameters.run", "Skenario lengkap setelah resolusi (semua parameter).",
     "The full resolved scenario (every parameter)."},
    {"lead.provenance", "Dari mana angka-angka ini berasal, agar dapat diulang.",
     "Where these numbers come from, so they can be reproduced."},

    {"chart.survival", "Kelompok yang didanai dan masih aktif", "Funded groups still active"},
    {"chart.causes", "Penyebab berhenti: {1}", "Causes of failure: {1}"},
    {"chart.income", "Pendapatan penerima: {1}", "Recipients' income: {1}"},
    {"chart.poverty", "Kemiskinan seluruh rumah tangga: {1}", "Poverty, whole pool: {1}"},
    {"chart.effect_income", "Pendapatan berkelanjutan penerima: dampak", "Recipients' lasting income gain"},
    {"chart.effect_transfer", "Transfer sekali (dana dibagi-bagikan), bukan pendapatan",
     "One-off transfer (grant shared out), not income"},
    {"chart.effect_poverty", "Perubahan angka kemiskinan", "Change of the poverty headcount"},
    {"chart.diff_income", "Pendapatan berkelanjutan: selisih terhadap dasar",
     "Lasting income gain: difference to the baseline"},
    {"chart.diff_transfer", "Transfer sekali: selisih terhadap dasar", "One-off transfer: difference to the baseline"},
    {"chart.diff_poverty", "Perubahan kemiskinan: selisih terhadap dasar",
     "Poverty change: difference to the baseline"},
    {"chart.cost_active", "Biaya per kelompok aktif pada bulan ke-36", "Cost per group active at 36 months"},
    {"chart.cost_rupiah", "Biaya per rupiah pendapatan berkelanjutan", "Cost per rupiah of lasting income gained"},
    {"chart.effectiveness", "Efektivitas: kelompok didanai yang aktif di akhir",
     "Effectiveness: funded groups active at the end"},
    {"chart.responsiveness", "Responsivitas: median bulan dari kebutuhan kelompok sampai jawaban dinas",
     "Responsiveness: median months from a group's need to the office's answer"},
    {"chart.accountability", "Akuntabilitas: galat laporan tahunan", "Accountability: error of the yearly report"},
    {"chart.sensitivity", "Sensitivitas: {1}", "Sensitivity: {1}"},

    {"axis.delay_months", "Bulan", "Months"},
    {"axis.months_since_funding", "Bulan sejak pencairan dana", "Months since funding"},
    {"axis.active", "Kelompok masih aktif (%)", "Groups still active (%)"},
    {"axis.incidence", "Insidensi kumulatif (%)", "Cumulative incidence (%)"},
    {"axis.month", "Bulan simulasi", "Simulated month"},
    {"axis.income", "Rp per rumah tangga per bulan", "Rp per household per month"},
    {"axis.poverty", "Di bawah garis kemiskinan (%)", "Below the poverty line (%)"},
    {"axis.income_short", "Rp/rumah tangga/bulan", "Rp/household/month"},
    {"axis.poverty_short", "Miskin (%)", "Poor (%)"},
    {"axis.pp", "Poin persen", "Percentage points"},
    {"axis.rp", "Rupiah", "Rupiah"},
    {"axis.rp_per_rp", "Rp biaya per Rp pendapatan", "Rp of cost per Rp of income"},
    {"axis.percent", "Persen", "Percent"},
    {"axis.groups", "Kelompok (dilaporkan − sebenarnya)", "Groups (reported − true)"},
    {"axis.sobol", "Indeks Sobol'", "Sobol' index"},
    {"axis.morris", "Efek elementer ({1})", "Elementary effect ({1})"},
    {"axis.correlation", "Korelasi peringkat Spearman", "Spearman rank correlation"},

    {"series.with", "Dengan program", "With the program"},
    {"series.without", "Tanpa program", "Without the program"},
    {"series.against_cf", "Terhadap kontrafaktual", "Against the counterfactual"},
    {"series.estimate", "Perkiraan", "Estimate"},
    {"series.first", "Orde pertama", "First order"},
    {"series.total", "Orde total", "Total order"},
    {"series.mu_star", "μ* (rata-rata efek absolut)", "μ* (mean absolute effect)"},
    {"series.sigma", "σ (simpangan baku efek)", "σ (standard deviation of the effects)"},
    {"series.correlation", "Korelasi", "Correlation"},
    {"ref.zero", "nol: tanpa perbedaan", "zero: no difference"},
    {"empty.no_groups", "n/a: tidak ada kelompok yang didanai", "n/a: no funded groups"},
    {"empty.no_recipients", "n/a: tidak ada penerima", "n/a: no recipients"},
    {"empty.no_values", "n/a: tidak ada nilai", "n/a: no values"},
    {"empty.no_failures", "Tidak ada kelompok yang berhenti.", "No group failed."},

    {"brief.sec", "Ringkasan untuk pimpinan", "Summary for the head of the office"},
    {"brief.lead.post",
     "Hasil yang diperoleh tiap pilihan dari anggarannya. Angka adalah median atas {1} dunia yang masuk akal, yaitu "
     "kemungkinan keadaan yang sesuai dengan data lapangan menurut kalibrasi, dan rentang di bawahnya memuat 90 % "
     "dunia itu; setiap pilihan disimulasikan {2} kali.",
     "What each option buys with its budget. Figures are medians over {1} plausible worlds, the states of affairs the "
     "calibration finds consistent with field data, and the range under each holds 90 % of those worlds; every option "
     "was simulated {2} times."},
    {"brief.lead.mc",
     "Hasil yang diperoleh tiap pilihan dari anggarannya, dari {1} simulasi per pilihan. Rentang di bawah angka hanya "
     "menunjukkan ketelitian simulasi, bukan ketidakpastian tentang keadaan sebenarnya: parameter model di sini adalah "
     "asumsi.",
     "What each option buys with its budget, from {1} simulations per option. The range under each figure shows only "
     "the precision of the simulation, not uncertainty about the real state of affairs: the model's parameters here "
     "are assumptions."},
    {"brief.ranked",
     "Pilihan diurutkan menurut jumlah kelompok yang masih aktif 3 tahun setelah pencairan per Rp 1 miliar.",
     "The options are ranked by groups still active 3 years after funding per Rp 1 billion."},
    {"brief.ranked.income",
     "Pilihan diurutkan menurut pendapatan berkelanjutan per rupiah: kelompok aktif 3 tahun setelah pencairan tidak "
     "dapat diperkirakan di simulasi sesingkat ini.",
     "The options are ranked by lasting income per rupiah: groups active 3 years after funding are not estimable in "
     "a run this short."},
    {"brief.ranked.lifted",
     "Pilihan diurutkan menurut rumah tangga yang keluar dari kemiskinan per Rp 1 miliar: kelompok aktif 3 tahun "
     "setelah pencairan tidak dapat diperkirakan di simulasi sesingkat ini.",
     "The options are ranked by households out of poverty per Rp 1 billion: groups active 3 years after funding are "
     "not estimable in a run this short."},
    {"brief.best.groups.none",
     "Berapa kelompok yang masih aktif 3 tahun setelah pencairan tidak dapat diperkirakan: terlalu sedikit kelompok "
     "dapat diikuti selama itu. Jalankan simulasi lebih lama.",
     "How many groups are still active 3 years after funding is not estimable: too few groups could be followed that "
     "long. Run the simulation longer."},
    {"brief.col.sure.other", "Peluang lebih baik dari “{1}”", "Chance of beating “{1}”"},
    {"brief.sure.post.other",
     "Seberapa yakin: model dicocokkan dengan data lapangan; di antara {1} dunia yang masuk akal menurut data itu, "
     "“{2}” lebih baik per rupiah daripada “{3}” di {4} dunia, dan menjadi pilihan terbaik di {5}.",
     "How sure: the model was fitted to field data; of the {1} plausible worlds those data allow, “{2}” does better "
     "per rupiah than “{3}” in {4} of them, and is the best option in {5}."},
    {"brief.best.groups.alone",
     "Per rupiah, “{1}” mempertahankan kelompok paling banyak: Rp 1 miliar membuat {2} kelompok tetap aktif 3 tahun "
     "setelah pencairan.",
     "Per rupiah, “{1}” keeps the most groups going: Rp 1 billion keeps {2} groups active 3 years after funding."},
    {"brief.best.income.alone",
     "Untuk pendapatan berkelanjutan, “{1}” paling baik: setiap Rp 1.000 yang dibelanjakan menambah Rp {2} pendapatan "
     "yang terus diterima anggota.",
     "For lasting income, “{1}” does best: every Rp 1,000 spent adds Rp {2} of income that members keep earning."},
    {"brief.best.lifted.alone",
     "Untuk kemiskinan, “{1}” mengangkat paling banyak rumah tangga anggota ke atas garis kemiskinan: {2} rumah tangga "
     "per Rp 1 miliar pada tahun terakhir simulasi.",
     "For poverty, “{1}” lifts the most member households above the poverty line: {2} households per Rp 1 billion in "
     "the last year of the simulation."},
    {"brief.one.groups", "Rp 1 miliar untuk “{1}” membuat {2} kelompok tetap aktif 3 tahun setelah pencairan.",
     "Rp 1 billion spent on “{1}” keeps {2} groups active 3 years after funding."},
    {"brief.one.income", "Setiap Rp 1.000 yang dibelanjakan menambah Rp {2} pendapatan yang terus diterima anggota.",
     "Every Rp 1,000 spent adds Rp {2} of income that members keep earning."},
    {"brief.one.lifted",
     "Rp 1 miliar mengangkat {2} rumah tangga anggota ke atas garis kemiskinan pada tahun terakhir simulasi.",
     "Rp 1 billion lifts {2} member households above the poverty line in the last year of the simulation."},
    {"brief.chance", "Ia menjadi yang terbaik untuk ukuran ini di {1} dunia yang masuk akal.",
     "It is the best for this measure in {1} of the plausible worlds."},
    {"brief.close", "“{1}” mendekati: rentang keduanya bertumpang tindih.", "“{1}” comes close: their ranges overlap."},
    {"brief.sure.mc.one", "Seberapa yakin: angka-angka ini bersandar pada parameter model yang diasumsikan.",
     "How sure: these figures rest on the model's assumed parameters."},
    {"method.survival",
     "Kelangsungan kelompok: Kaplan-Meier atas semua kelompok yang didanai dari semua replikasi satu skenario, dengan "
     "pita 95% dari bootstrap atas replikasi. Kelompok yang masih aktif di akhir simulasi dihitung sampai akhir itu "
     "saja (disensor). Kurva berhenti di bulan terakhir yang dapat dicapai oleh sedikitnya 10 kelompok (didanai "
     "sedikitnya selama itu sebelum akhir simulasi).",
     "Survival of groups: Kaplan-Meier over all funded groups of all replicates of a scenario, with the 95% band from "
     "a bootstrap over replicates. Groups still active at the end of the run count up to that end only (censored). A "
     "curve stops at the last month at least 10 groups could be followed to (funded at least that long before the end "
     "of the run)."},
    {"brief.sure.post.free",
     "Seberapa yakin: model dicocokkan dengan data lapangan; di antara {1} dunia yang masuk akal menurut data itu, "
     "“{2}” menjadi pilihan terbaik per rupiah di {3}.",
     "How sure: the model was fitted to field data; of the {1} plausible worlds those data allow, “{2}” is the best "
     "option per rupiah in {3}."},
    {"brief.col.rank", "Urutan", "Rank"},
    {"brief.col.option", "Pilihan", "Option"},
    {"brief.col.cost", "Biaya total, {1} tahun (Rp)", "Total cost, {1} years (Rp)"},
    {"brief.col.year", "Biaya per tahun (Rp)", "Cost a year (Rp)"},
    {"brief.col.groups", "Kelompok aktif setelah 3 tahun, per Rp 1 miliar",
     "Groups active after 3 years, per Rp 1 billion"},
    {"brief.col.income", "Pendapatan berkelanjutan per Rp 1.000 biaya (Rp)", "Lasting income per Rp 1,000 spent (Rp)"},
    {"brief.col.lifted", "Rumah tangga anggota keluar dari kemiskinan, per Rp 1 miliar",
     "Member households out of poverty, per Rp 1 billion"},
    {"brief.col.sure", "Peluang lebih baik dari “{1}” (kelompok per rupiah)",
     "Chance of beating “{1}” (groups per rupiah)"},
    {"brief.current", "dasar", "baseline"},
    {"brief.best.groups",
     "Per rupiah, “{1}” mempertahankan kelompok paling banyak: Rp 1 miliar membuat {2} kelompok tetap aktif 3 tahun "
     "setelah pencairan, dibanding {3} dengan “{4}”.",
     "Per rupiah, “{1}” keeps the most groups going: Rp 1 billion keeps {2} groups active 3 years after funding, "
     "against {3} with “{4}”."},
    {"brief.best.groups.base",
     "Per rupiah, skenario dasar “{1}” sudah mempertahankan kelompok paling banyak: Rp 1 miliar membuat {2} kelompok "
     "tetap aktif 3 tahun setelah pencairan.",
     "Per rupiah, the baseline “{1}” already keeps the most groups going: Rp 1 billion keeps {2} groups active 3 years "
     "after funding."},
    {"brief.best.income",
     "Untuk pendapatan berkelanjutan, “{1}” paling baik: setiap Rp 1.000 yang dibelanjakan menambah Rp {2} pendapatan "
     "yang terus diterima anggota, dibanding Rp {3} dengan “{4}”.",
     "For lasting income, “{1}” does best: every Rp 1,000 spent adds Rp {2} of income that members keep earning, "
     "against Rp {3} with “{4}”."},
    {"brief.best.income.base",
     "Untuk pendapatan berkelanjutan, skenario dasar “{1}” paling baik: setiap Rp 1.000 yang dibelanjakan menambah "
     "Rp {2} pendapatan yang terus diterima anggota.",
     "For lasting income, the baseline “{1}” does best: every Rp 1,000 spent adds Rp {2} of income that "
     "members keep earning."},
    {"brief.best.lifted",
     "Untuk kemiskinan, “{1}” mengangkat paling banyak rumah tangga anggota ke atas garis kemiskinan: {2} rumah tangga "
     "per Rp 1 miliar pada tahun terakhir simulasi, dibanding {3} dengan “{4}”.",
     "For poverty, “{1}” lifts the most member households above the poverty line: {2} households per Rp 1 billion in "
     "the last year of the simulation, against {3} with “{4}”."},
    {"brief.best.lifted.base",
     "Untuk kemiskinan, skenario dasar “{1}” mengangkat paling banyak rumah tangga anggota ke atas garis "
     "kemiskinan: {2} rumah tangga per Rp 1 miliar pada tahun terakhir simulasi.",
     "For poverty, the baseline “{1}” lifts the most member households above the poverty line: {2} households "
     "per Rp 1 billion in the last year of the simulation."},
    {"brief.cost",
     "Biaya pilihan berkisar dari Rp {1} (“{2}”) sampai Rp {3} (“{4}”) selama {5} tahun, yaitu Rp {6} sampai Rp {7} "
     "per tahun.",
     "The options cost from Rp {1} (“{2}”) to Rp {3} (“{4}”) over the {5} years, that is Rp {6} to Rp {7} a year."},
    {"brief.cost.one", "Biayanya Rp {1} selama {2} tahun, yaitu Rp {3} per tahun.",
     "It costs Rp {1} over the {2} years, that is Rp {3} a year."},
    {"brief.sure.post",
     "Seberapa yakin: model dicocokkan dengan data lapangan; di antara {1} dunia yang masuk akal menurut data itu, "
     "“{2}” membeli lebih banyak kelompok aktif per rupiah daripada “{3}” di {4} dunia, dan menjadi pilihan terbaik di "
     "{5}.",
     "How sure: the model was fitted to field data; of the {1} plausible worlds those data allow, “{2}” buys more "
     "active groups per rupiah than “{3}” in {4} of them, and is the best option in {5}."},
    {"brief.sure.post.base",
     "Seberapa yakin: model dicocokkan dengan data lapangan; di antara {1} dunia yang masuk akal menurut data itu, "
     "skenario dasar menjadi pilihan terbaik per rupiah di {2}.",
     "How sure: the model was fitted to field data; of the {1} plausible worlds those data allow, the baseline is the "
     "best option per rupiah in {2}."},
    {"brief.sure.mc",
     "Seberapa yakin: angka-angka ini bersandar pada parameter model yang diasumsikan. Untuk mengetahui seberapa yakin "
     "urutannya, jalankan perbandingan atas posterior sebuah kalibrasi (berdaya compare dengan posterior).",
     "How sure: these figures rest on the model's assumed parameters. To learn how sure the ranking is, run the "
     "comparison over a calibration's posterior (berdaya compare with a posterior)."},
    {"brief.meaning",
     "Anggota menerima dua macam uang. Pendapatan berkelanjutan adalah tambahan pendapatan dari usaha kelompok, bulan "
     "demi bulan, dibanding rumah tangga yang sama tanpa program: itulah tujuan program. Transfer sekali adalah modal "
     "yang dibagi-bagikan kelompok kepada anggotanya tak lama setelah pencairan: uang yang diterima satu kali, bukan "
     "hasil usaha, dan kelompoknya berakhir. Transfer itu ditampilkan terpisah dan tidak pernah dihitung sebagai "
     "manfaat. Dengan “{1}”, rata-rata per rumah tangga penerima per bulan selama simulasi, pendapatan berkelanjutan "
     "Rp {2} dan transfer sekali Rp {3}.",
     "Members receive two kinds of money. Lasting income is what the group's business adds to its members' income "
     "month after month, compared with the same households without the program: it is the program's aim. The one-off "
     "transfer is the grant some groups share out among their members soon after disbursement: cash received once, not "
     "earned, and the group ends. It is shown apart and never counted as a gain. With “{1}”, averaged per recipient "
     "household and month over the run, lasting income is Rp {2} and the one-off transfer Rp {3}."},
    {"brief.not_ranked", "Tidak diurutkan karena tanpa biaya: {1}.", "Not ranked, as they cost nothing: {1}."},
    {"brief.none", "Tidak ada pilihan yang berbiaya: tidak ada yang dapat diurutkan.",
     "No option has a cost: there is nothing to rank."},
    {"brief.chart", "Kelompok aktif setelah 3 tahun per Rp 1 miliar", "Groups active after 3 years per Rp 1 billion"},
    {"brief.axis", "kelompok per Rp 1 miliar", "groups per Rp 1 billion"},
    {"brief.lower.post", "batas bawah 90 % dunia", "lower end, 90 % of worlds"},
    {"brief.upper.post", "batas atas 90 % dunia", "upper end, 90 % of worlds"},
    {"brief.interval.post", "90 % dunia yang masuk akal", "90 % of plausible worlds"},
    {"brief.interval.mc", "95 %: ketelitian simulasi saja", "95 %: simulation precision only"},
    {"brief.rest",
     "Bagian berikutnya memberi rinciannya. Cara angka dihitung dan statistiknya ada di lampiran, dengan kata-kata "
     "sederhana.",
     "The sections after this one give the details. How the figures are made, and their statistics, are in the "
     "appendix, in plain words."},
    {"metric.cost_total", "Biaya total (Rp)", "Total cost (Rp)"},
    {"metric.active_36_per_billion", "Kelompok aktif 36 bln per Rp 1 miliar",
     "Groups active at 36 months per Rp 1 billion"},
    {"metric.income_per_rupiah", "Pendapatan berkelanjutan per Rp biaya", "Lasting income per Rp spent"},
    {"metric.lifted_per_billion", "Rumah tangga keluar dari kemiskinan per Rp 1 miliar",
     "Households out of poverty per Rp 1 billion"},
    {"unit.groups/Rp 1 bn", "kelompok per Rp 1 miliar", "groups per Rp 1 billion"},
    {"unit.households/Rp 1 bn", "rumah tangga per Rp 1 miliar", "households per Rp 1 billion"},
    {"unit.Rp/Rp", "Rp per Rp", "Rp per Rp"},
    {"metric.active_12", "Kelompok aktif 12 bulan setelah pencairan", "Groups active 12 months after funding"},
    {"metric.active_36", "Kelompok aktif 36 bulan setelah pencairan", "Groups active 36 months after funding"},
    {"metric.active_60", "Kelompok aktif 60 bulan setelah pencairan", "Groups active 60 months after funding"},
    {"metric.income_effect", "Pendapatan berkelanjutan penerima (Rp/bulan)",
     "Recipients' lasting income gain (Rp/month)"},
    {"metric.income_transfer", "Transfer sekali, bukan pendapatan (Rp/bulan)",
     "One-off transfer, not income (Rp/month)"},
    {"metric.poverty_change_members", "Perubahan kemiskinan penerima (poin persen)",
     "Recipients' poverty change (percentage points)"},
    {"metric.poverty_change", "Perubahan kemiskinan (poin persen)", "Poverty change (percentage points)"},
    {"metric.cost_per_active_36", "Biaya per kelompok aktif 36 bln (Rp)", "Cost per group active at 36 months (Rp)"},
    {"metric.cost_per_rupiah", "Biaya per Rp pendapatan berkelanjutan", "Cost per Rp of lasting income gained"},
    {"metric.effectiveness", "Efektivitas: aktif di akhir", "Effectiveness: active at the end"},
    {"metric.responsiveness", "Responsivitas: median bulan sampai dijawab",
     "Responsiveness: median months to an answer"},
    {"metric.accountability", "Akuntabilitas: galat laporan (kelompok)", "Accountability: report error (groups)"},

    {"cause.none", "tidak berhenti", "did not fail"},
    {"cause.grant_split", "dana dibagi-bagikan", "grant shared out"},
    {"cause.business_losses", "usaha merugi", "business losses"},
    {"cause.member_withdrawal", "anggota mundur", "members withdrew"},
    {"cause.conflict", "konflik", "conflict"},
    {"cause.catastrophe", "bencana", "disaster"},

    {"params.setting", "Pengaturan", "Setting"},
    {"params.baseline", "Skenario dasar", "Baseline"},
    {"params.this", "Skenario ini", "This scenario"},
    {"params.absent", "(tidak ada)", "(absent)"},
    {"params.same", "Sama dengan skenario dasar.", "The same as the baseline."},
    {"params.full", "Skenario dasar lengkap “{1}” (TOML setelah resolusi)",
     "The baseline “{1}” in full (resolved TOML)"},
    {"params.full.run", "Skenario lengkap “{1}” (TOML setelah resolusi)", "The scenario “{1}” in full (resolved TOML)"},
    {"params.experiment", "Berkas eksperimen (TOML)", "The experiment file (TOML)"},

    {"prov.file", "Berkas hasil", "Result file"},
    {"prov.format", "Format", "Format"},
    {"prov.kind", "Jenis", "Kind"},
    {"kind.run", "satu skenario", "one scenario"},
    {"kind.compare", "perbandingan skenario", "scenario comparison"},
    {"kind.sweep", "analisis sensitivitas", "sensitivity analysis"},
    {"kind.calibration", "kalibrasi", "calibration"},
    {"prov.experiment", "Eksperimen", "Experiment"},
    {"prov.engine", "Versi berdaya", "berdaya version"},
    {"prov.commit", "Komit git", "Commit"},
    {"prov.created", "Ditulis", "Written"},
    {"prov.command", "Perintah", "Command line"},
    {"prov.seed", "Benih acak", "Seed"},
    {"prov.replicates", "Replikasi", "Replicates"},
    {"prov.months", "Bulan", "Months"},
    {"prov.hdf5", "Versi HDF5", "HDF5 version"},
    {"prov.cases", "Kasus", "Cases"},
    {"prov.failed", "Simulasi gagal", "Failed runs"},

    {"sweep.lead", "Desain {1}: {2} titik × {3} replikasi, {4} bulan, benih acak {5}.",
     "{1} design: {2} points × {3} replicates, {4} months, seed {5}."},
    {"sweep.design.saltelli", "Saltelli (indeks Sobol' orde pertama dan total)",
     "Saltelli (first- and total-order Sobol' indices)"},
    {"sweep.design.morris", "Morris (efek elementer)", "Morris (elementary effects)"},
    {"sweep.design.grid", "Grid (kisi penuh)", "Grid (full factorial)"},
    {"sweep.design.lhs", "Latin hypercube", "Latin hypercube"},
    {"sweep.settings", "Pengaturan desain", "Design settings"},
    {"sweep.factor", "Faktor", "Factor"},
    {"sweep.low", "Rendah", "Low"},
    {"sweep.high", "Tinggi", "High"},
    {"sweep.scale", "Skala", "Scale"},
    {"sweep.run_range", "Nilai yang dijalankan", "Values run"},
    {"sweep.lead.saltelli",
     "Indeks Sobol' orde pertama (bagian varians keluaran yang dijelaskan faktor itu sendiri) dan orde total "
     "(termasuk interaksinya), dengan interval bootstrap 95%. Keluaran: perkiraan gabungan semua replikasi per titik.",
     "First-order Sobol' indices (the share of the outcome's variance a factor explains alone) and total-order "
     "indices (with its interactions), with 95% bootstrap intervals. Outcomes: each point's estimate from all its "
     "replicates pooled."},
    {"sweep.lead.morris",
     "Penapisan Morris: μ* besar berarti faktor itu menggerakkan keluaran; σ besar berarti efeknya tidak linear atau "
     "berinteraksi dengan faktor lain. Satuan: satuan keluaran per rentang penuh faktor.",
     "Morris screening: a large μ* means the factor moves the outcome; a large σ means its effect is nonlinear or "
     "interacts with other factors. Units: the outcome's units per full range of the factor."},
    {"sweep.lead.rank",
     "Korelasi peringkat Spearman antara nilai faktor dan keluaran (perkiraan gabungan semua replikasi per titik).",
     "Spearman rank correlation between the factor's value and the outcome (each point's pooled estimate)."},
    {"sweep.undefined", "n/a: tidak terdefinisi (sebagian titik tanpa keluaran)",
     "n/a: undefined (some points have no outcome)"},
    {"sweep.base", "Skenario dasar sapuan “{1}” (TOML setelah resolusi)",
     "The sweep's base scenario “{1}” (resolved TOML)"},
    {"sweep.failures", "Pesan simulasi yang gagal", "Messages of failed runs"},
    {"sweep.design.oat", "Satu parameter sekali waktu", "One parameter at a time"},
    {"oat.lead",
     "Satu parameter sekali waktu di sekitar skenario “{1}”: {2} titik, yaitu skenario itu sendiri (titik acuan) dan "
     "{3} perubahan dari {4} parameter, masing-masing digeser {5}% ke bawah dan ke atas (pilihan ke setiap opsi lain, "
     "boolean dibalik), × {6} replikasi, {7} bulan, benih acak {8}.",
     "One parameter at a time around the scenario “{1}”: {2} points, the scenario itself (the reference point) and "
     "{3} changes of {4} parameters, each moved {5}% down and up (choices to each other option, booleans flipped), "
     "× {6} replicates, {7} months, seed {8}."},
    {"oat.reference",
     "Titik acuan: kelompok aktif 36 bulan setelah pencairan {1} {2} (Kaplan-Meier gabungan semua replikasi); "
     "tambahan pendapatan tetap penerima Rp {3} {4} per penerima-bulan.",
     "Reference point: groups active 36 months after funding {1} {2} (Kaplan-Meier pooled over the replicates); "
     "recipients' lasting income gain Rp {3} {4} per recipient-month."},
    {"oat.skipped", "Tidak termasuk penapisan ({1})", "Not in the screen ({1})"},
    {"oat.base", "Skenario acuan “{1}” (TOML setelah resolusi)", "The reference scenario “{1}” (resolved TOML)"},
    {"oat.lead.changes",
     "Perubahan terhadap titik acuan, dipasangkan per replikasi: setiap titik memakai rumah tangga dan guncangan yang "
     "sama dengan titik acuan, dan setiap sampel ulang bootstrap mengambil replikasi yang sama untuk kedua titik, "
     "seperti selisih terhadap skenario dasar dalam perbandingan. Pendapatan: pendapatan penerima dikurangi "
     "pendapatannya tanpa program, dikali jumlah penerima, dibagi penerima-bulan; dana hibah yang dibagi-bagikan "
     "bukan pendapatan.",
     "Changes against the reference point, paired by replicate: every point shares the reference's households and "
     "shocks, and each bootstrap resample takes the same replicates for both points, as a comparison pairs a "
     "scenario with its baseline. Income: recipients' income minus their income without the program, times "
     "recipients, over recipient-months; a shared-out grant is not income."},
    {"oat.chart.active", "Perubahan kelompok aktif 36 bulan setelah pencairan, {1} terbesar",
     "Change in groups active 36 months after funding, the {1} largest"},
    {"oat.chart.income", "Perubahan tambahan pendapatan tetap penerima, {1} terbesar",
     "Change in recipients' lasting income gain, the {1} largest"},
    {"oat.axis.active", "selisih, poin persen", "change, percentage points"},
    {"oat.axis.income", "selisih, Rp per penerima-bulan", "change, Rp per recipient-month"},
    {"oat.series", "selisih terhadap titik acuan", "change against the reference point"},
    {"oat.mc", "interval 95% (presisi Monte Carlo)", "95% interval (Monte Carlo precision)"},
    {"oat.reference_line", "tidak ada perubahan", "no change"},
    {"oat.table", "Semua {1} perubahan", "All {1} changes"},
    {"oat.col.parameter", "Parameter", "Parameter"},
    {"oat.col.change", "Perubahan", "Change"},
    {"oat.col.value", "Nilai", "Value"},
    {"oat.col.reference", "Acuan", "Reference"},
    {"oat.col.active", "Aktif 36 bulan, poin persen [95% MC]", "Active at 36 months, pp [95% MC]"},
    {"oat.col.income", "Pendapatan tetap, Rp/penerima-bulan [95% MC]", "Lasting income, Rp/recipient-month [95% MC]"},
    {"outcome.active_36", "kelompok aktif 36 bulan setelah pencairan", "groups active 36 months after funding"},
    {"outcome.income_effect", "pendapatan berkelanjutan bulanan penerima", "recipients' lasting monthly income gain"},
    {"outcome.poverty_change", "perubahan angka kemiskinan seluruh rumah tangga",
     "change of the whole pool's poverty headcount"},
    {"outcome.cost_per_active_36", "biaya per kelompok aktif pada bulan ke-36", "cost per group active at 36 months"},
    {"unit.share", "%", "%"},
    {"unit.pp", "poin persen", "percentage points"},
    {"unit.rp", "Rp", "Rp"},
    {"doc.title.calibration", "Laporan kalibrasi: {1}", "Calibration report: {1}"},
    {"cal.sec.overview", "Apa yang dikalibrasi", "What was calibrated"},
    {"cal.lead.overview",
     "Kalibrasi ini mencocokkan {1} parameter bebas model {2} (skenario dasar “{3}”) dengan {4} target yang diamati, "
     "melalui komputasi Bayes aproksimasi dengan Monte Carlo sekuensial (ABC-SMC): nilai parameter diundi, model "
     "dijalankan dengan nilai itu, dan hanya nilai yang simulasinya cukup dekat dengan pengamatan yang disimpan; "
     "setiap "
     "generasi memperketat arti “cukup dekat”. Partikel yang tersisa beserta bobotnya adalah posterior: nilai-nilai "
     "parameter yang sesuai dengan bukti. Kalibrasi ini berjalan {5} generasi dan {6} simulasi model.",
     "The calibration fitted {1} free parameters of model {2} (base scenario “{3}”) to {4} observed targets by "
     "approximate Bayesian computation with sequential Monte Carlo (ABC-SMC): parameter values are drawn, the model is "
     "run with them, and only values whose simulations come close enough to the observations are kept; each "
     "generation tightens “close enough”. The particles that remain, with their weights, are the posterior: the "
     "parameter values that agree with the evidence. It took {5} generations and {6} model runs."},
    {"cal.ess.low",
     "Ukuran sampel efektif rendah ({1} dari {2} partikel): posterior bertumpu pada sedikit partikel. Lebih banyak "
     "partikel atau generasi akan membuatnya lebih stabil.",
     "The effective sample size is low ({1} of {2} particles): the posterior rests on few particles. More particles or "
     "generations would make it steadier."},
    {"cal.row.model", "Model", "Model"},
    {"cal.row.scenario", "Skenario dasar", "Base scenario"},
    {"cal.row.method", "Metode", "Method"},
    {"cal.row.parameters", "Parameter bebas", "Free parameters"},
    {"cal.row.targets", "Target", "Targets"},
    {"cal.row.particles", "Partikel per generasi", "Particles per generation"},
    {"cal.row.replicates", "Replikasi per partikel", "Replicates per particle"},
    {"cal.row.quantile", "Kuantil toleransi", "Tolerance quantile"},
    {"cal.row.seed", "Benih acak", "Seed"},
    {"cal.row.generations", "Generasi", "Generations"},
    {"cal.row.runs", "Total simulasi model", "Total model runs"},
    {"cal.row.tolerance", "Toleransi generasi terakhir", "Tolerance of the last generation"},
    {"cal.row.acceptance", "Tingkat penerimaan generasi terakhir", "Acceptance rate of the last generation"},
    {"cal.row.ess", "Ukuran sampel efektif (ESS)", "Effective sample size (ESS)"},
    {"cal.ess.of", "{1} dari {2} partikel", "{1} of {2} particles"},
    {"cal.row.stop", "Berhenti karena", "Stopped because"},
    {"cal.stop.all", "semua generasi yang diminta selesai", "every generation asked for was run"},
    {"cal.gen.title", "Setiap generasi", "Every generation"},
    {"cal.gen.lead",
     "Toleransi adalah jarak terbesar yang masih diterima (jumlah kuadrat selisih terstandar terhadap pengamatan); ia "
     "turun dari generasi ke generasi. Generasi 0 diambil dari prior.",
     "The tolerance is the largest distance still accepted (the sum of squared standardised differences from the "
     "observations); it falls from one generation to the next. Generation 0 is drawn from the prior."},
    {"cal.gen.generation", "Generasi", "Generation"},
    {"cal.gen.tolerance", "Toleransi", "Tolerance"},
    {"cal.gen.acceptance", "Penerimaan", "Acceptance"},
    {"cal.gen.ess", "ESS", "ESS"},
    {"cal.gen.proposals", "Usulan disimulasikan", "Proposals simulated"},
    {"cal.gen.runs", "Simulasi model", "Model runs"},
    {"cal.sec.marginals", "Posterior tiap parameter", "Each parameter's posterior"},
    {"cal.lead.marginals",
     "Setiap grafik menunjukkan apa yang diyakini tentang satu parameter sebelum melihat data (prior, garis "
     "putus-putus) "
     "dan sesudahnya (posterior, garis penuh: kepadatan kernel berbobot dari partikel generasi terakhir). Garis tegak "
     "menandai median posterior dan interval 90 %-nya. Posterior yang jauh lebih sempit dari priornya berarti data "
     "menetapkan parameter itu; posterior yang selebar priornya berarti target hampir tidak berkata apa-apa "
     "tentangnya.",
     "Each chart shows what was believed about one parameter before seeing the data (the prior, dashed) and after (the "
     "posterior, solid: a weighted kernel density of the last generation's particles). Vertical lines mark the "
     "posterior median and its 90 % interval. A posterior much narrower than its prior means the data pinned the "
     "parameter down; one as wide as its prior means the targets say little about it."},
    {"cal.narrowed",
     "Data mempersempit {1} menjadi {2} (median {3}): interval 90 %-nya selebar {4} dari interval prior {5}.",
     "The data narrowed {1} to {2} (median {3}): its 90 % interval is {4} as wide as the prior's {5}."},
    {"cal.little",
     "Data hampir tidak berkata apa-apa tentang {1}: interval 90 %-nya {2} (median {3}) masih selebar {4} dari "
     "interval "
     "prior {5}.",
     "The data say little about {1}: its 90 % interval {2} (median {3}) is still {4} as wide as the prior's {5}."},
    {"cal.chart.density", "{1}: prior dan posterior", "{1}: prior and posterior"},
    {"cal.axis.density", "kepadatan", "density"},
    {"cal.series.posterior", "posterior", "posterior"},
    {"cal.series.prior", "prior", "prior"},
    {"cal.series.interval", "median dan interval 90 %", "median and 90 % interval"},
    {"cal.col.parameter", "Parameter", "Parameter"},
    {"cal.col.prior", "Prior", "Prior"},
    {"cal.col.median", "Median posterior", "Posterior median"},
    {"cal.col.interval", "Interval posterior 90 %", "Posterior 90 % interval"},
    {"cal.col.prior_interval", "Interval prior 90 %", "Prior 90 % interval"},
    {"cal.col.width", "Lebar terhadap prior", "Width against the prior"},
    {"cal.prior.uniform", "seragam pada", "uniform on"},
    {"cal.prior.loguniform", "log-seragam pada", "log-uniform on"},
    {"cal.prior.normal", "normal terpotong pada", "truncated normal on"},
    {"cal.prior.beta", "beta pada", "beta on"},
    {"cal.prior.normal_args", "rerata {1}, simpangan baku {2}", "mean {1}, sd {2}"},
    {"cal.prior.beta_args", "α = {1}, β = {2}", "α = {1}, β = {2}"},
    {"cal.sec.pairs", "Parameter yang bergerak bersama", "Parameters that move together"},
    {"cal.lead.pairs",
     "Data bisa menetapkan gabungan beberapa parameter alih-alih masing-masing: nilai yang lebih tinggi pada satu "
     "parameter dapat diimbangi oleh parameter lain. Di bawah ini {1} pasangan dengan korelasi berbobot terkuat di "
     "antara partikel terakhir (pada skala log untuk parameter dengan prior log-seragam); setiap titik adalah satu "
     "partikel, luasnya sebanding dengan bobotnya.",
     "The data may fix a combination of parameters rather than each one: a higher value of one can be made up for by "
     "another. Below are the {1} pairs with the strongest weighted correlation among the last particles (on the log "
     "scale for parameters with a log-uniform prior); each dot is a particle, its area in proportion to its weight."},
    {"cal.pairs.one", "Dengan satu parameter bebas tidak ada pasangan untuk digambar.",
     "With one free parameter there are no pairs to plot."},
    {"cal.pairs.none", "Tidak ada pasangan parameter yang bervariasi di antara partikel terakhir.",
     "No pair of parameters varies among the last particles."},
    {"cal.pair.title", "{1} dan {2}", "{1} and {2}"},
    {"cal.pair.note", "korelasi berbobot r = {1}", "weighted correlation r = {1}"},
    {"cal.pair.points", "partikel (luas: bobot)", "particle (area: weight)"},
    {"cal.pair.weight", "bobot", "weight"},
    {"cal.pair.together",
     "{1} dan {2} naik bersama (r = {3}): data menerima {1} yang lebih tinggi bila {2} juga lebih tinggi.",
     "{1} and {2} rise together (r = {3}): the data accept a higher {1} when {2} is higher too."},
    {"cal.pair.tradeoff",
     "{1} dan {2} saling mengimbangi (r = {3}): data menerima {1} yang lebih tinggi bila {2} lebih rendah.",
     "{1} and {2} trade off (r = {3}): the data accept a higher {1} when {2} is lower."},
    {"cal.pair.weak", "{1} dan {2} hampir tidak saling terkait dalam posterior (r = {3}).",
     "{1} and {2} are nearly unrelated in the posterior (r = {3})."},
    {"cal.sec.predictive", "Pemeriksaan prediktif posterior", "Posterior predictive check"},
    {"cal.lead.predictive",
     "Apakah model yang sudah dikalibrasi mengulang bukti? Untuk setiap target: pengamatan (atau batas yang harus "
     "dipatuhi) dan statistik yang diberikan model pada partikel terakhir, sebagai median berbobot dan interval 90 % "
     "dari simulasinya. Pengamatan di luar interval itu adalah ketidakcocokan: model, dengan nilai parameter mana pun "
     "yang masuk akal, tidak mengulangnya. Di grafik, garis pengamatan adalah galat samplingnya (90 %), garis model "
     "adalah interval prediktifnya.",
     "Does the fitted model reproduce the evidence? For every target: the observation (or the bound it must respect) "
     "and the statistic the model gives at the last particles, as the weighted median and 90 % interval of their "
     "simulations. An observation outside that interval is a misfit: the model, with any plausible parameter value, "
     "does not reproduce it. In the charts, an observation's whiskers are its 90 % sampling error, the model's its "
     "predictive interval."},
    {"cal.predictive.all", "Semua {1} pengamatan berada di dalam interval prediktif 90 % model.",
     "All {1} observations lie within the model's predictive 90 % intervals."},
    {"cal.predictive.some", "{1} dari {2} pengamatan berada di luar interval prediktif 90 % model: {3}.",
     "{1} of {2} observations lie outside the model's predictive 90 % interval: {3}."},
    {"cal.axis.statistic", "nilai statistik", "value of the statistic"},
    {"cal.series.observed", "diamati", "observed"},
    {"cal.series.bound", "batas yang diamati", "observed bound"},
    {"cal.series.predicted", "model (median)", "model (median)"},
    {"cal.chart.whiskers", "interval 90 %", "90 % interval"},
    {"cal.bound.at_most", "paling banyak {1}", "at most {1}"},
    {"cal.bound.at_least", "paling sedikit {1}", "at least {1}"},
    {"cal.col.target", "Target", "Target"},
    {"cal.col.scenario", "Skenario", "Scenario"},
    {"cal.col.statistic", "Statistik", "Statistic"},
    {"cal.col.evidence", "Bukti", "Evidence"},
    {"cal.col.observed", "Diamati", "Observed"},
    {"cal.col.pred_median", "Median prediktif", "Predictive median"},
    {"cal.col.pred_interval", "Interval prediktif 90 %", "Predictive 90 % interval"},
    {"cal.col.check", "Pemeriksaan", "Check"},
    {"cal.check.inside", "di dalam", "inside"},
    {"cal.check.outside", "DI LUAR", "OUTSIDE"},
    {"cal.field.versus", "Dibandingkan dengan", "Against"},
    {"cal.field.target_versus", "Dibandingkan dengan", "Against"},
    {"cal.toml", "Berkas kalibrasi", "The calibration file"},
    {"post.sec", "Hasil atas posterior: seberapa yakin jawabannya",
     "Results over the posterior: how sure the answer is"},
    {"post.lead",
     "Perbandingan ini menjalankan setiap skenario di {1} dunia yang masuk akal: nilai parameter yang diundi dari "
     "posterior kalibrasi {2} (generasi {3}), masing-masing {4} replikasi, dengan bilangan acak bersama antarskenario. "
     "Karena itu interval di bawah mencakup ketidakpastian parameter model, bukan hanya derau simulasi. Bagian Monte "
     "Carlo (±) adalah yang akan menyusut dengan lebih banyak replikasi; sisanya adalah ketidakpastian parameter yang "
     "hanya dapat dipersempit oleh bukti yang lebih baik.",
     "This comparison ran every scenario in {1} plausible worlds: parameter values drawn from the posterior of the "
     "calibration {2} (generation {3}), {4} replicates each, with common random numbers across scenarios. The "
     "intervals "
     "below therefore include what is not known about the model's parameters, not only simulation noise. The Monte "
     "Carlo part (±) is what more replicates would shrink; the rest is parameter uncertainty that only better evidence "
     "can shrink."},
    {"post.others", "Ukuran lain atas posterior ada di keluaran perintah",
     "The other measures over the posterior are in the output of"},
    {"post.calibrated", "Parameter yang dikalibrasi: {1}.", "Calibrated parameters: {1}."},
    {"post.best", "Dalam {1} dunia yang masuk akal, {2} adalah skenario terbaik untuk ukuran ini.",
     "In {1} of plausible worlds, {2} is the best scenario on this measure."},
    {"post.best.beats", "Ia mengungguli skenario dasar {3} dalam {1} dunia; selisih mediannya {2}.",
     "It beats the baseline {3} in {1} of them; its median difference is {2}."},
    {"post.none", "Tidak dapat diperkirakan pada satu undian pun.", "Not estimable at any draw."},
    {"post.better.higher", "lebih tinggi lebih baik", "higher is better"},
    {"post.better.lower", "lebih rendah lebih baik", "lower is better"},
    {"post.better.nearer zero", "lebih dekat ke nol lebih baik", "nearer zero is better"},
    {"post.col.scenario", "Skenario", "Scenario"},
    {"post.col.value", "Nilai: median [90 %]", "Value: median [90 %]"},
    {"post.col.effect", "Selisih terhadap dasar: median [90 %, termasuk ketidakpastian parameter]",
     "Difference from the baseline: median [90 %, parameter uncertainty included]"},
    {"post.col.mc", "Bagian Monte Carlo", "Monte Carlo part"},
    {"post.col.p_better", "Peluang lebih baik dari dasar", "Chance of beating the baseline"},
    {"post.col.rank", "Peringkat {1}", "Rank {1}"},
    {"post.baseline", "(dasar)", "(baseline)"},
    {"post.na", "tidak dapat diperkirakan", "not estimable"},
    {"post.ranks",
     "Peringkat: peluang skenario berada di tempat itu di antara skenario yang ikut (1 = terbaik; seri berbagi).",
     "Rank: the chance that the scenario takes that place among the scenarios taking part (1 = the best; ties "
     "share)."},
    {"post.chart.effect", "{1}: selisih terhadap {2} di dunia yang masuk akal",
     "{1}: difference from {2} across plausible worlds"},
    {"post.chart.median", "median", "median"},
    {"post.chart.interval", "90 % dunia yang masuk akal", "90 % of plausible worlds"},
    {"post.chart.reference", "sama dengan {1}", "same as {1}"},
    {"post.no_part", "tidak dapat diperkirakan (tidak ikut dalam peringkat)",
     "not estimable (takes no part in the ranks)"},
    {"unit.months", "bulan", "months"},
    {"unit.groups", "kelompok", "groups"},
};

const std::map<std::string_view, const Entry*>& table() {
  static const auto m = [] {
    std::map<std::string_view, const Entry*> out;
    for (const auto& e : TEXTS) out[e.key] = &e;
    return out;
  }();
  return m;
}

// Short-scale words for rupiah; Indonesian "M" is miliar (10^9), English "M" a million.
struct Magnitude {
  double size;
  const char* id;
  const char* en;
};
constexpr Magnitude MAGNITUDES[] = {{1e12, "T", "tn"}, {1e9, "M", "bn"}, {1e6, "jt", "M"}, {1e3, "rb", "k"}};
constexpr Magnitude WORDS[] = {{1e12, "triliun", "trillion"}, {1e9, "miliar", "billion"}, {1e6, "juta", "million"}};

}  // namespace

Lang language(const std::string& c) {
  if (c == "id") return Lang::id;
  if (c == "en") return Lang::en;
  throw sim::InputError("--lang " + c + ": the report speaks 'id' (Indonesian, the default) or 'en' (English).");
}

const char* code(Lang lang) { return lang == Lang::id ? "id" : "en"; }

std::string text(Lang lang, std::string_view key) {
  const auto it = table().find(key);
  if (it == table().end()) throw std::out_of_range("report text: no key '" + std::string(key) + "'");
  return lang == Lang::id ? it->second->id : it->second->en;
}

std::string text_or(Lang lang, const std::string& key, const std::string& fallback) {
  const auto it = table().find(key);
  if (it == table().end()) return fallback;
  return lang == Lang::id ? it->second->id : it->second->en;
}

std::string fill(std::string pattern, std::initializer_list<std::string> args) {
  int i = 1;
  for (const auto& a : args) {
    const std::string mark = "{" + std::to_string(i++) + "}";
    for (auto p = pattern.find(mark); p != std::string::npos; p = pattern.find(mark, p + a.size()))
      pattern.replace(p, mark.size(), a);
  }
  return pattern;
}

std::vector<std::string> text_keys() {
  std::vector<std::string> out;
  for (const auto& e : TEXTS) out.push_back(e.key);
  return out;
}

svg::NumberStyle number_style(Lang lang) {
  if (lang == Lang::id) return {",", ".", "t/a"};
  return {".", ",", "n/a"};
}

std::string number(double v, int decimals, Lang lang) { return svg::format_number(v, decimals, number_style(lang)); }

std::string percent(double share, int decimals, Lang lang) {
  if (!std::isfinite(share)) return number_style(lang).missing;
  return number(100 * share, decimals, lang) + "%";
}

std::string rupiah_short(double v, double step, Lang lang, double reference) {
  if (!std::isfinite(v)) return number_style(lang).missing;
  if (v == 0) return "0";
  const bool ticks = std::isfinite(step) && step > 0;
  double scale = std::fabs(v);
  if (ticks) scale = std::max(scale, step);
  if (std::isfinite(reference)) scale = std::max(scale, std::fabs(reference));
  double size = 1;
  const char* word = "";
  for (const auto& m : MAGNITUDES)
    if (scale >= m.size) {
      size = m.size;
      word = lang == Lang::id ? m.id : m.en;
      break;
    }
  // Ticks: digits enough to tell neighbours apart. Values: three significant digits.
  const int decimals = ticks ? std::min(2, svg::decimals_for(step / size))
                             : std::clamp(static_cast<int>(std::ceil(-std::log10(scale / size / 100) - 1e-9)), 0, 2);
  const std::string n = number(v / size, decimals, lang);
  return *word ? n + " " + word : n;
}

std::string rupiah_words(double v, Lang lang) {
  if (!std::isfinite(v)) return number_style(lang).missing;
  for (const auto& m : WORDS)
    if (std::fabs(v) >= m.size) {
      const double x = v / m.size;
      const int decimals = std::fabs(x) >= 100 ? 0 : std::fabs(x) >= 10 ? 1 : 2;
      return number(x, decimals, lang) + " " + (lang == Lang::id ? m.id : m.en);
    }
  return number(v, 0, lang);
}

}  // namespace analysis
