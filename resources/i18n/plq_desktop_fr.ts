<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="169"/>
        <source>&amp;Open photo…</source>
        <translation>&amp;Ouvrir une photo…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="169"/>
        <location filename="../../plq_desktop/gui/actions.py" line="226"/>
        <source>Open a passport photo</source>
        <translation>Ouvrir une photo d&apos;identité</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="170"/>
        <source>Play &amp;video file…</source>
        <translation>Lire un fichier &amp;vidéo…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="170"/>
        <source>Play a video file as if it were the camera</source>
        <translation>Lire un fichier vidéo comme si c’était la caméra</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="171"/>
        <source>Play &amp;image folder…</source>
        <translation>Lire un dossier d’&amp;images…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="171"/>
        <source>Play the photos of a folder as a stream</source>
        <translation>Lire les photos d’un dossier comme un flux</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="172"/>
        <source>&amp;Live</source>
        <translation>&amp;Direct</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="172"/>
        <source>Start or stop the camera</source>
        <translation>Démarrer ou arrêter la caméra</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="173"/>
        <source>&amp;Auto-capture…</source>
        <translation>Capture &amp;automatique…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="174"/>
        <source>Capture the best frame by itself once the face qualifies, into a folder you choose</source>
        <translation>Capturer seule la meilleure image dès que le visage est conforme, dans un dossier de votre choix</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="175"/>
        <source>&amp;Side by side</source>
        <translation>Côte à &amp;côte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="175"/>
        <source>Compare two models on the same frame</source>
        <translation>Comparer deux modèles sur la même image</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="176"/>
        <source>&amp;Difference</source>
        <translation>&amp;Différence</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="176"/>
        <source>Right pane: right model&apos;s map minus the left one&apos;s</source>
        <translation>Volet droit : carte du modèle de droite moins celle du modèle de gauche</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="177"/>
        <source>&amp;Save result…</source>
        <translation>&amp;Enregistrer le résultat…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="177"/>
        <source>Save the overlay image and a JSON report</source>
        <translation>Enregistrer l’image superposée et un rapport JSON</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="178"/>
        <source>&amp;Export passport photo…</source>
        <translation>&amp;Exporter la photo d’identité…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="179"/>
        <source>Crop and scale the largest face to the ICAO 35 x 45 mm geometry</source>
        <translation>Recadrer et mettre à l’échelle le plus grand visage selon la géométrie OACI 35 x 45 mm</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="180"/>
        <source>&amp;Copy image</source>
        <translation>&amp;Copier l’image</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="180"/>
        <source>Copy the overlay image to the clipboard</source>
        <translation>Copier l’image superposée dans le presse-papiers</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="181"/>
        <source>&amp;Batch audit…</source>
        <translation>Audit par &amp;lot…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="182"/>
        <source>Audit a folder of photos, or browse the results of an earlier batch</source>
        <translation>Auditer un dossier de photos, ou parcourir les résultats d’un lot précédent</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="183"/>
        <source>Audit a &amp;folder…</source>
        <translation>Auditer un &amp;dossier…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="184"/>
        <source>Choose a folder of photos to audit as a batch</source>
        <translation>Choisir un dossier de photos à auditer par lot</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="185"/>
        <source>Open batch &amp;results…</source>
        <translation>Ouvrir les &amp;résultats d’un lot…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="186"/>
        <source>Open the output folder of plq batch on the batch page</source>
        <translation>Ouvrir le dossier de sortie de plq batch dans la page des lots</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="187"/>
        <source>&amp;Photo and live page</source>
        <translation>Page &amp;photo et direct</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="187"/>
        <source>Back to the photo and live view</source>
        <translation>Retour à la vue photo et direct</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="188"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="188"/>
        <source>Quit PLQ Desktop</source>
        <translation>Quitter PLQ Desktop</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="189"/>
        <source>&amp;Next face</source>
        <translation>Visage &amp;suivant</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="189"/>
        <source>Assess the next face of the photo</source>
        <translation>Évaluer le visage suivant de la photo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="190"/>
        <source>&amp;Previous face</source>
        <translation>Visage &amp;précédent</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="190"/>
        <source>Assess the previous face of the photo</source>
        <translation>Évaluer le visage précédent de la photo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="191"/>
        <source>Zoom &amp;in</source>
        <translation>Zoom &amp;avant</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="192"/>
        <source>Zoom &amp;out</source>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="193"/>
        <source>&amp;Fit to window</source>
        <translation>A&amp;juster à la fenêtre</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="194"/>
        <source>Less opacity</source>
        <translation>Moins d’opacité</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="194"/>
        <source>Map opacity down</source>
        <translation>Diminuer l’opacité de la carte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="195"/>
        <source>More opacity</source>
        <translation>Plus d’opacité</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="195"/>
        <source>Map opacity up</source>
        <translation>Augmenter l’opacité de la carte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="196"/>
        <source>Map gamma up</source>
        <translation>Augmenter le gamma de la carte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="196"/>
        <source>More green in the map (colours only)</source>
        <translation>Plus de vert dans la carte (couleurs seulement)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="197"/>
        <source>Map gamma down</source>
        <translation>Diminuer le gamma de la carte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="197"/>
        <source>More red in the map (colours only)</source>
        <translation>Plus de rouge dans la carte (couleurs seulement)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="198"/>
        <source>Per-pixel map (&amp;raw)</source>
        <translation>Carte par pixel (&amp;brute)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="198"/>
        <source>Show the unsmoothed per-pixel map</source>
        <translation>Afficher la carte par pixel non lissée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="199"/>
        <source>&amp;Applicant&apos;s wording</source>
        <translation>Formulation pour le &amp;demandeur</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="200"/>
        <source>Hints as said to the person in front of the camera, instead of the officer&apos;s wording</source>
        <translation>Les consignes telles qu’on les dit à la personne devant la caméra, au lieu de la formulation pour l’agent</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="201"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Raccourcis &amp;clavier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="201"/>
        <source>List every keyboard shortcut</source>
        <translation>Lister tous les raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="203"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="204"/>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="206"/>
        <source>The window and the hints in this language</source>
        <translation>La fenêtre et les consignes dans cette langue</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="207"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="208"/>
        <source>Open &amp;recent</source>
        <translation>Ouvrir un fichier &amp;récent</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="209"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="210"/>
        <source>&amp;Camera</source>
        <translation>&amp;Caméra</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="211"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="212"/>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="213"/>
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="214"/>
        <source> Camera </source>
        <translation> Caméra </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="215"/>
        <source> Model </source>
        <translation> Modèle </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="225"/>
        <source>Photos ({patterns})</source>
        <translation>Photos ({patterns})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="225"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="245"/>
        <source>(none yet)</source>
        <translation>(aucun pour l’instant)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="255"/>
        <source>Tab / Shift+Tab</source>
        <translation>Tab / Maj+Tab</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="255"/>
        <source>Move between the controls</source>
        <translation>Passer d’une commande à l’autre</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="256"/>
        <source>Arrow keys</source>
        <translation>Touches fléchées</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="256"/>
        <source>Move in the hints list and the batch table</source>
        <translation>Se déplacer dans la liste des consignes et le tableau des lots</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="257"/>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="257"/>
        <source>Batch table: open the row&apos;s photo</source>
        <translation>Tableau des lots : ouvrir la photo de la ligne</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="258"/>
        <source>Alt + underlined letter</source>
        <translation>Alt + lettre soulignée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="258"/>
        <source>Open a menu</source>
        <translation>Ouvrir un menu</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="266"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="268"/>
        <source>Key</source>
        <translation>Touche</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="268"/>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
</context>
<context>
    <name>AutoCaptureController</name>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="158"/>
        <source>capture %p%</source>
        <translation>capture %p%</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="159"/>
        <source>Auto-capture: how long the face has met the conditions</source>
        <translation>Capture automatique : depuis combien de temps le visage est conforme</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="167"/>
        <source>Folder for the captured photo</source>
        <translation>Dossier pour la photo capturée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="171"/>
        <source>Auto-capture into {folder}: start the camera ({key})</source>
        <translation>Capture automatique dans {folder} : démarrez la caméra ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="209"/>
        <source>captured</source>
        <translation>capturée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="210"/>
        <source>capture in {seconds} s</source>
        <translation>capture dans {seconds} s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="211"/>
        <source>capture: waiting</source>
        <translation>capture : en attente</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="212"/>
        <source>Hold still</source>
        <translation>Ne bougez plus</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="221"/>
        <source>Captured frame {frame}, quality {quality}: {path}</source>
        <translation>Image {frame} capturée, qualité {quality} : {path}</translation>
    </message>
</context>
<context>
    <name>BatchPage</name>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="75"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="75"/>
        <source>Face</source>
        <translation>Visage</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="76"/>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="76"/>
        <source>Hints</source>
        <translation>Consignes</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="92"/>
        <source>Unreadable: {reason}</source>
        <translation>Illisible : {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="94"/>
        <source>No face found</source>
        <translation>Aucun visage trouvé</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="97"/>
        <source>no hints</source>
        <translation>aucune consigne</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="289"/>
        <source>{face} of {faces}</source>
        <translation>{face} sur {faces}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="301"/>
        <source>No hints</source>
        <translation>Aucune consigne</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="303"/>
        <source>quality {quality} (raw {raw})</source>
        <translation>qualité {quality} (brute {raw})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="498"/>
        <source>Folder of photos (walked recursively)</source>
        <translation>Dossier de photos (sous-dossiers compris)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="499"/>
        <source>Output folder: results.csv, results.jsonl, maps/</source>
        <translation>Dossier de sortie : results.csv, results.jsonl, maps/</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="500"/>
        <source>&amp;Browse…</source>
        <translation>Parco&amp;urir…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="501"/>
        <source>B&amp;rowse…</source>
        <translation>Parcour&amp;ir…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="502"/>
        <source>R&amp;un batch</source>
        <translation>Lanc&amp;er le lot</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="503"/>
        <source>Audit every photo of the folder into the output folder; a stopped batch continues where it stopped</source>
        <translation>Auditer chaque photo du dossier vers le dossier de sortie ; un lot arrêté reprend là où il s’était arrêté</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="505"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="507"/>
        <source>Open the output folder of an earlier batch (plq batch)</source>
        <translation>Ouvrir le dossier de sortie d’un lot précédent (plq batch)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="508"/>
        <source>&amp;Photos</source>
        <translation>&amp;Photos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="509"/>
        <source>&amp;Output</source>
        <translation>Sor&amp;tie</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="506"/>
        <source>Open re&amp;sults…</source>
        <translation>Ou&amp;vrir les résultats…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="510"/>
        <source>Filter by chec&amp;k</source>
        <translation>Filtrer par co&amp;ntrôle</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="511"/>
        <source>%v / %m photos</source>
        <translation>%v / %m photos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="513"/>
        <source>No batch yet: choose a folder of photos and an output folder, or open the results of an earlier batch</source>
        <translation>Pas encore de lot : choisissez un dossier de photos et un dossier de sortie, ou ouvrez les résultats d’un lot précédent</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="517"/>
        <source>Double-click a row or press Enter to open its photo in the photo view</source>
        <translation>Double-cliquez sur une ligne ou appuyez sur Entrée pour ouvrir sa photo dans la vue photo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="518"/>
        <source>Show only the faces that fail this check; the histogram follows</source>
        <translation>N’afficher que les visages qui échouent à ce contrôle ; l’histogramme suit</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="528"/>
        <source>Open the output folder of a batch</source>
        <translation>Ouvrir le dossier de sortie d’un lot</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="540"/>
        <source>Cannot read {path}: {reason}</source>
        <translation>Impossible de lire {path} : {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="574"/>
        <source>{files} photos, {faces} faces, {problems} unusable — {csv}</source>
        <translation>{files} photos, {faces} visages, {problems} inutilisables — {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="608"/>
        <source>All rows ({count})</source>
        <translation>Toutes les lignes ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="609"/>
        <source>Any failing check ({count})</source>
        <translation>Au moins un contrôle échoué ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="611"/>
        <source>Unreadable or no face ({count})</source>
        <translation>Illisible ou sans visage ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="614"/>
        <source>{check} — {count} failing</source>
        <translation>{check} — {count} en échec</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="656"/>
        <source>quality (0-100)</source>
        <translation>qualité (0-100)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="657"/>
        <source>faces</source>
        <translation>visages</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="669"/>
        <source>{shown} of {rows} rows shown; {faces} faces</source>
        <translation>{shown} lignes affichées sur {rows} ; {faces} visages</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="672"/>
        <source>median quality {quality}</source>
        <translation>qualité médiane {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="700"/>
        <source>{path} is not there any more (moved or deleted?)</source>
        <translation>{path} n’existe plus (déplacé ou supprimé ?)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="722"/>
        <source>Folder of photos to audit</source>
        <translation>Dossier de photos à auditer</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="728"/>
        <source>Output folder of the batch</source>
        <translation>Dossier de sortie du lot</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="735"/>
        <source>Choose a folder of photos and an output folder first</source>
        <translation>Choisissez d’abord un dossier de photos et un dossier de sortie</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="746"/>
        <source>A batch is running: cancel it first</source>
        <translation>Un lot est en cours : annulez-le d’abord</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="750"/>
        <source>{path} is not a folder</source>
        <translation>{path} n’est pas un dossier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="771"/>
        <source>Loading {model}…</source>
        <translation>Chargement de {model}…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="781"/>
        <source>Cancelling after the photo in hand…</source>
        <translation>Annulation après la photo en cours…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="792"/>
        <source>{done} of {total} photos</source>
        <translation>{done} photos sur {total}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="794"/>
        <source>({count} done earlier)</source>
        <translation>({count} déjà faites)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="796"/>
        <source>{rate} photos/s · {time} left</source>
        <translation>{rate} photos/s · reste {time}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="820"/>
        <source>Batch stopped: {count} photos in {seconds} s ({rate} photos/s) -&gt; {csv}</source>
        <translation>Lot arrêté : {count} photos en {seconds} s ({rate} photos/s) -&gt; {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="821"/>
        <source>Batch done: {count} photos in {seconds} s ({rate} photos/s) -&gt; {csv}</source>
        <translation>Lot terminé : {count} photos en {seconds} s ({rate} photos/s) -&gt; {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="825"/>
        <source>Stopped at {done} of {total} photos; Run batch again continues where it stopped</source>
        <translation>Arrêté à {done} photos sur {total} ; « Lancer le lot » reprend là où il s’est arrêté</translation>
    </message>
</context>
<context>
    <name>BatchRunThread</name>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="153"/>
        <source>Batch cancelled before it started</source>
        <translation>Lot annulé avant son démarrage</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="162"/>
        <source>choose the same model, or another output folder</source>
        <translation>choisissez le même modèle, ou un autre dossier de sortie</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="165"/>
        <source>Batch failed: {reason}</source>
        <translation>Échec du lot : {reason}</translation>
    </message>
</context>
<context>
    <name>CaptureRing</name>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="122"/>
        <source>Captured</source>
        <translation>Capturée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="127"/>
        <source>Hold still</source>
        <translation>Ne bougez plus</translation>
    </message>
</context>
<context>
    <name>ColourLegend</name>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="437"/>
        <source>right
higher</source>
        <translation>droite
plus haute</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="437"/>
        <source>left
higher</source>
        <translation>gauche
plus haute</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="438"/>
        <source>much use
to recognition</source>
        <translation>très utile à la
reconnaissance</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="438"/>
        <source>little use
to recognition</source>
        <translation>peu utile à la
reconnaissance</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="63"/>
        <source>Show the full message (paths, file names, checksums)</source>
        <translation>Afficher le message complet (chemins, noms de fichiers, sommes de contrôle)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="64"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="98"/>
        <source>Hide details</source>
        <translation>Masquer les détails</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="98"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="63"/>
        <location filename="../../plq_desktop/gui/export.py" line="85"/>
        <source>Nothing to save yet: open a photo or start the camera</source>
        <translation>Rien à enregistrer pour l’instant : ouvrez une photo ou démarrez la caméra</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="74"/>
        <source>Cannot save {path}: {reason}</source>
        <translation>Impossible d’enregistrer {path} : {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="77"/>
        <source>Saved {image} and {report}</source>
        <translation>{image} et {report} enregistrés</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="88"/>
        <source>Save the overlay image (and the JSON report)</source>
        <translation>Enregistrer l’image superposée (et le rapport JSON)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="89"/>
        <location filename="../../plq_desktop/gui/export.py" line="152"/>
        <source>PNG image (*.png)</source>
        <translation>Image PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="98"/>
        <source>Nothing to copy yet</source>
        <translation>Rien à copier pour l’instant</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="101"/>
        <source>Overlay image copied to the clipboard</source>
        <translation>Image superposée copiée dans le presse-papiers</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="127"/>
        <source>Cannot export {path}: {reason}</source>
        <translation>Impossible d’exporter {path} : {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="131"/>
        <source>Passport photo saved to {path}</source>
        <translation>Photo d’identité enregistrée dans {path}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="141"/>
        <source>No face to export: open a photo with a face first</source>
        <translation>Aucun visage à exporter : ouvrez d’abord une photo avec un visage</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="150"/>
        <source>Export passport photo (35 x 45 mm, 600 dpi)</source>
        <translation>Exporter la photo d’identité (35 x 45 mm, 600 ppp)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="151"/>
        <source>JPEG image (*.jpg *.jpeg)</source>
        <translation>Image JPEG (*.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>FeedControl</name>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="62"/>
        <source>Camera resolution</source>
        <translation>Résolution de la caméra</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="109"/>
        <source>Default size</source>
        <translation>Taille par défaut</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="91"/>
        <source>Playing: {name}</source>
        <translation>Lecture : {name}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="67"/>
        <source>No camera? Play a video file as the camera: plq-desktop --source VIDEO, or File &gt; Play video file… (to make a demo video: plq-desktop --write-demo-video demo.mp4)</source>
        <translation>Pas de caméra ? Lisez un fichier vidéo comme caméra : plq-desktop --source VIDEO, ou Fichier &gt; Lire un fichier vidéo… (pour créer une vidéo de démonstration : plq-desktop --write-demo-video demo.mp4)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="147"/>
        <source>Camera lost: {camera} was disconnected</source>
        <translation>Caméra perdue : {camera} a été déconnectée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="153"/>
        <source>No camera found.</source>
        <translation>Aucune caméra trouvée.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="179"/>
        <source>Starting {source}…</source>
        <translation>Démarrage de {source}…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="190"/>
        <source>Live: {source}</source>
        <translation>En direct : {source}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="216"/>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="217"/>
        <source>Live view stopped</source>
        <translation>Vue en direct arrêtée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="220"/>
        <source>Videos ({patterns})</source>
        <translation>Vidéos ({patterns})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="220"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="221"/>
        <source>Play a video file</source>
        <translation>Lire un fichier vidéo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="226"/>
        <source>Play the photos of a folder</source>
        <translation>Lire les photos d’un dossier</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="132"/>
        <source>Camera 0 (OpenCV)</source>
        <translation>Caméra 0 (OpenCV)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="231"/>
        <source>Open a passport photo ({open}) or drop one here, or start the camera ({live})</source>
        <translation>Ouvrez une photo d’identité ({open}) ou déposez-la ici, ou démarrez la caméra ({live})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="263"/>
        <source>Display</source>
        <translation>Affichage</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="264"/>
        <source>Map &amp;opacity</source>
        <translation>&amp;Opacité de la carte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="265"/>
        <source>Map &amp;gamma (+/-)</source>
        <translation>&amp;Gamma de la carte (+/-)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="267"/>
        <source>&amp;Device</source>
        <translation>&amp;Processeur</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="269"/>
        <source>Photo / live</source>
        <translation>Photo / direct</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="270"/>
        <source>Batch</source>
        <translation>Lot</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="266"/>
        <source>&amp;Map colours</source>
        <translation>Co&amp;uleurs de la carte</translation>
    </message>
</context>
<context>
    <name>ModelControl</name>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="72"/>
        <source>Explanation shown in this pane: PLQ (pixel-level quality) or AMVA (activation-map deviation from high-quality faces)</source>
        <translation>Explication montrée dans ce volet : PLQ (qualité par pixel) ou AMVA (écart de la carte d’activation par rapport aux visages de haute qualité)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="74"/>
        <source>Added to each model&apos;s calibrated gamma: higher shows more green.
It stretches the map&apos;s colours only; the image quality does not change.</source>
        <translation>S’ajoute au gamma calibré de chaque modèle : plus haut montre plus de vert.
Cela étire seulement les couleurs de la carte ; la qualité de l’image ne change pas.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="77"/>
        <source>Per-pixel map (raw)</source>
        <translation>Carte non lissée</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="78"/>
        <source>Show the unsmoothed per-pixel map (the paper&apos;s Eq. 6) instead of the readable one.
Colours only: the hints do not change.</source>
        <translation>Afficher la carte par pixel non lissée (éq. 6 de l’article) au lieu de la carte lisible.
Couleurs seulement : les consignes ne changent pas.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="80"/>
        <source>auto: the GPU when CUDA is available, else the CPU</source>
        <translation>auto : le GPU si CUDA est disponible, sinon le CPU</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="86"/>
        <source>Device: {device}</source>
        <translation>Processeur : {device}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="87"/>
        <source>Device: loading…</source>
        <translation>Processeur : chargement…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="154"/>
        <source>Model {models} on {device}</source>
        <translation>Modèle {models} sur {device}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="155"/>
        <source> and </source>
        <translation> et </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="218"/>
        <source>Pixel-level quality: how much each pixel is of use to recognition (red to green)</source>
        <translation>Qualité par pixel : l’utilité de chaque pixel pour la reconnaissance (du rouge au vert)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="220"/>
        <source>Activation-map deviation from high-quality faces (black: as expected, bright: far off); points at occluders and pose problems</source>
        <translation>Écart de la carte d’activation par rapport aux visages de haute qualité (noir : comme attendu, clair : très éloigné) ; désigne les occultations et les problèmes de pose</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="266"/>
        <source>Licence: {licence}</source>
        <translation>Licence : {licence}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="269"/>
        <source>Not installed: see &apos;{command}&apos;</source>
        <translation>Non installé : voir « {command} »</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="275"/>
        <source>{model} (not installed)</source>
        <translation>{model} (non installé)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="277"/>
        <source>Quality estimator: {estimator}</source>
        <translation>Estimateur de qualité : {estimator}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="311"/>
        <source>Model {model} is not installed. To install it, run: {command}</source>
        <translation>Le modèle {model} n’est pas installé. Pour l’installer, exécutez : {command}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="313"/>
        <source>Model {model} is not installed (still using {using}). To install it, run: {command}</source>
        <translation>Le modèle {model} n’est pas installé ({using} reste utilisé). Pour l’installer, exécutez : {command}</translation>
    </message>
</context>
<context>
    <name>PaletteControl</name>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="25"/>
        <source>Red to green</source>
        <translation>Du rouge au vert</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="26"/>
        <source>Blue to yellow (cividis)</source>
        <translation>Du bleu au jaune (cividis)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="27"/>
        <source>Colours of the quality map, its legend, the gauges and the face boxes.
Blue to yellow (cividis) stays readable with red-green colour blindness.</source>
        <translation>Couleurs de la carte de qualité, de sa légende, des jauges et des cadres des visages.
Du bleu au jaune (cividis) reste lisible en cas de daltonisme rouge-vert.</translation>
    </message>
</context>
<context>
    <name>QtCameraFeed</name>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="179"/>
        <source>Camera error ({camera}): {reason}</source>
        <translation>Erreur de caméra ({camera}) : {reason}</translation>
    </message>
</context>
<context>
    <name>QualityGauge</name>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="66"/>
        <source>{caption}: {points} / 100 ({band}): {meaning}</source>
        <translation>{caption} : {points} / 100 ({band}) : {meaning}</translation>
    </message>
</context>
<context>
    <name>QualityHistory</name>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="123"/>
        <source>seconds ago</source>
        <translation>il y a (secondes)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="124"/>
        <source>quality</source>
        <translation>qualité</translation>
    </message>
</context>
<context>
    <name>QualityPanel</name>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="231"/>
        <source>Face:</source>
        <translation>Visage :</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="232"/>
        <source>Several faces: choose the one to assess (the largest is chosen first)</source>
        <translation>Plusieurs visages : choisissez celui à évaluer (le plus grand est choisi d’abord)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="235"/>
        <source>&amp;Wording:</source>
        <translation>Fo&amp;rmulation :</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="236"/>
        <source>Officer (what you read)</source>
        <translation>Agent (ce que vous lisez)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="237"/>
        <source>Applicant (said to the person)</source>
        <translation>Demandeur (ce qu’on dit à la personne)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="238"/>
        <source>Whose wording the hints show: the officer&apos;s, or the sentence for the person in front of the camera</source>
        <translation>Formulation des consignes : celle de l’agent, ou la phrase pour la personne devant la caméra</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="240"/>
        <source>What if this were fixed?</source>
        <translation>Et si c’était corrigé ?</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="241"/>
        <source>Simulate repairing the chosen hint&apos;s region (inpainting) and show the quality before and after.
A simulation: never an enrolment photo.</source>
        <translation>Simuler la réparation de la région de la consigne choisie (inpainting) et montrer la qualité avant et après.
Une simulation : jamais une photo d’enrôlement.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="244"/>
        <source>Quality over the last 30 s</source>
        <translation>Qualité sur les 30 dernières s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="255"/>
        <source>Face {n} (largest)</source>
        <translation>Visage {n} (le plus grand)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="256"/>
        <source>Face {n}</source>
        <translation>Visage {n}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="310"/>
        <source>threshold {value}</source>
        <translation>seuil {value}</translation>
    </message>
</context>
<context>
    <name>ReaderFeed</name>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="99"/>
        <source>{source} has no more frames</source>
        <translation>{source} ne fournit plus d’images</translation>
    </message>
</context>
<context>
    <name>ResultView</name>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="54"/>
        <source>Opacity of the quality map over the face ( [ and ] )</source>
        <translation>Opacité de la carte de qualité sur le visage ( [ et ] )</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="56"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="93"/>
        <source>Analysis took {seconds} s</source>
        <translation>Analyse en {seconds} s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="151"/>
        <source>{model} · quality {quality}</source>
        <translation>{model} · qualité {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="157"/>
        <source>No face in view</source>
        <translation>Aucun visage à l’image</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="157"/>
        <source>No face found in this photo</source>
        <translation>Aucun visage trouvé sur cette photo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="174"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="180"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="209"/>
        <source>What to fix</source>
        <translation>À corriger</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="182"/>
        <source>Nothing to fix · weakest face regions</source>
        <translation>Rien à corriger · régions du visage les plus faibles</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="237"/>
        <source>analysis {rate}/s, latency {ms} ms</source>
        <translation>analyse {rate}/s, latence {ms} ms</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="238"/>
        <source>analysis starting</source>
        <translation>démarrage de l’analyse</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="240"/>
        <source>video {fps} fps</source>
        <translation>vidéo {fps} i/s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="241"/>
        <source>{count} frames skipped</source>
        <translation>{count} images sautées</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="265"/>
        <source>Difference: {right} minus {left}</source>
        <translation>Différence : {right} moins {left}</translation>
    </message>
</context>
<context>
    <name>WhatIfControl</name>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="43"/>
        <source>A what-if simulation is on screen: an inpainted photo is never an enrolment photo. Press Esc (Back to the photo) to save or export the original</source>
        <translation>Une simulation « et si » est à l’écran : une photo retouchée par inpainting n’est jamais une photo d’enrôlement. Appuyez sur Échap (Retour à la photo) pour enregistrer ou exporter l’original</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="52"/>
        <source>Quality {before} → {after} ({change})</source>
        <translation>Qualité {before} → {after} ({change})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="59"/>
        <source>the brushed region</source>
        <translation>la région peinte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="60"/>
        <source>the region “{region}”</source>
        <translation>la région « {region} »</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="237"/>
        <source>&amp;Brush what-if</source>
        <translation>&amp;Pinceau « et si »</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="238"/>
        <source>Brush over a region of the photo; releasing the mouse simulates repairing it (inpainting)</source>
        <translation>Peindre une région de la photo ; relâcher la souris simule sa réparation (inpainting)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="239"/>
        <source>&amp;Apply brush</source>
        <translation>&amp;Appliquer le pinceau</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="239"/>
        <source>Run the what-if on the brushed region</source>
        <translation>Lancer le « et si » sur la région peinte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="240"/>
        <source>&amp;Clear brush</source>
        <translation>&amp;Effacer le pinceau</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="240"/>
        <source>Remove the brushed mask</source>
        <translation>Retirer le masque peint</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="241"/>
        <source>Bigger brush</source>
        <translation>Pinceau plus grand</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="241"/>
        <source>Brush diameter up</source>
        <translation>Augmenter le diamètre du pinceau</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="242"/>
        <source>Smaller brush</source>
        <translation>Pinceau plus petit</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="242"/>
        <source>Brush diameter down</source>
        <translation>Diminuer le diamètre du pinceau</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="243"/>
        <source>&amp;What if this hint were fixed?</source>
        <translation>&amp;Et si cette consigne était corrigée ?</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="244"/>
        <source>Simulate repairing the region of the hint chosen in the list</source>
        <translation>Simuler la réparation de la région de la consigne choisie dans la liste</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="245"/>
        <source>Back to the &amp;photo</source>
        <translation>Retour à la &amp;photo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="245"/>
        <source>Close the what-if simulation</source>
        <translation>Fermer la simulation « et si »</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="246"/>
        <source>Brush diameter in photo pixels</source>
        <translation>Diamètre du pinceau en pixels de la photo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="247"/>
        <source>Brush</source>
        <translation>Pinceau</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="248"/>
        <source>Back to the photo ({key})</source>
        <translation>Retour à la photo ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="251"/>
        <source>What-&amp;if</source>
        <translation>Et &amp;si</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="280"/>
        <source>{name} is a what-if simulation (inpainted): it is never an enrolment photo</source>
        <translation>{name} est une simulation « et si » (inpainting) : ce n’est jamais une photo d’enrôlement</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="311"/>
        <source>Brush over the region to repair; releasing the mouse runs the what-if (a simulation)</source>
        <translation>Peignez la région à réparer ; relâcher la souris lance le « et si » (une simulation)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="322"/>
        <source>Nothing brushed yet: turn on the brush ({key}) and paint over the region</source>
        <translation>Rien de peint pour l’instant : activez le pinceau ({key}) et peignez la région</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="333"/>
        <source>What-if: the hint is about the whole {region}; choose a hint about one part of it, or brush over that part</source>
        <translation>« Et si » : la consigne concerne toute la zone « {region} » ; choisissez une consigne sur une partie, ou peignez cette partie</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="349"/>
        <source>What-if works on a photo: open one first ({key})</source>
        <translation>Le « et si » porte sur une photo : ouvrez-en une d’abord ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="353"/>
        <source>What-if needs a face: none was found in this photo</source>
        <translation>Le « et si » a besoin d’un visage : aucun sur cette photo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="361"/>
        <source>What-if: inpainting {what} and analysing again…</source>
        <translation>« Et si » : inpainting de {what} et nouvelle analyse…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="392"/>
        <source>SIMULATION (what-if, not for enrolment): inpainting {what} — {change} ({model})</source>
        <translation>SIMULATION (« et si », pas pour l’enrôlement) : inpainting de {what} — {change} ({model})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="397"/>
        <source>{title} — what-if SIMULATION</source>
        <translation>{title} — SIMULATION « et si »</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="384"/>
        <source>What-if (simulation): {change} after inpainting {what}</source>
        <translation>« Et si » (simulation) : {change} après inpainting de {what}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="411"/>
        <source>Before · quality {quality}</source>
        <translation>Avant · qualité {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="412"/>
        <source>After · SIMULATION · {change}</source>
        <translation>Après · SIMULATION · {change}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="414"/>
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="415"/>
        <source>After (simulation)</source>
        <translation>Après (simulation)</translation>
    </message>
</context>
</TS>
